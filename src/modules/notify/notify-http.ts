// The preference centre (/mina-sidor/aviseringar and its API), browsers for web push, the delivery
// status of a person's messages, and the development mailbox (/dev/mailbox) when Samla catches its
// own mail. A person reaches only their own.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { AppError } from '../../platform/errors.ts'
import { requireViewer, viewerPersonId } from '../../platform/http/guards.ts'
import { formatDateTime } from '../../web/format.ts'
import type { Views } from '../../web/views.ts'
import type { Notify } from './index.ts'
import type { CheckedPreferences, PreferencesInput } from './preferences.ts'
import { CHANNELS } from './preferences.ts'

const tags = ['Aviseringar / Notifications']
const PersonId = Type.String({ format: 'uuid' })
const Time = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: 'HH:MM, Swedish time' })
const ChannelSchema = Type.Union(CHANNELS.map((c) => Type.Literal(c)))

const PreferencesSchema = Type.Object({
  channels: Type.Array(ChannelSchema, { description: 'In order of preference' }),
  language: Type.Union([Type.Literal('sv'), Type.Literal('en')]),
  quietHours: Type.Union([Type.Object({ from: Time, until: Time }), Type.Null()], {
    description: 'No SMS or push between these times; they are sent when the quiet hours end',
  }),
  preferredHours: Type.Union([Type.Object({ from: Time, until: Time }), Type.Null()], {
    description: 'When reminders planned ahead should come, within one day',
  }),
  email: Type.Union([Type.String(), Type.Null()]),
  mobile: Type.Union([Type.String({ description: 'E.164, such as +46701234567' }), Type.Null()]),
  copyToRepresentatives: Type.Boolean({
    description: 'A copy of each notification to those acting for the person on a valid power of attorney',
  }),
})

const PreferencesBody = Type.Object(
  {
    channels: Type.Array(Type.String({ maxLength: 10 }), { maxItems: 3 }),
    language: Type.String({ maxLength: 5 }),
    quietHours: Type.Optional(
      Type.Union([
        Type.Object(
          { from: Type.String({ maxLength: 10 }), until: Type.String({ maxLength: 10 }) },
          { additionalProperties: false },
        ),
        Type.Null(),
      ]),
    ),
    preferredHours: Type.Optional(
      Type.Union([
        Type.Object(
          { from: Type.String({ maxLength: 10 }), until: Type.String({ maxLength: 10 }) },
          { additionalProperties: false },
        ),
        Type.Null(),
      ]),
    ),
    email: Type.Optional(Type.Union([Type.String({ maxLength: 320 }), Type.Null()])),
    mobile: Type.Optional(Type.Union([Type.String({ maxLength: 40 }), Type.Null()])),
    copyToRepresentatives: Type.Optional(Type.Boolean({ description: 'Off when left out', default: false })),
  },
  { additionalProperties: false },
)

const PushSubscriptionBody = Type.Object(
  {
    endpoint: Type.String({ minLength: 1, maxLength: 2048 }),
    expirationTime: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
    keys: Type.Object(
      { p256dh: Type.String({ maxLength: 200 }), auth: Type.String({ maxLength: 100 }) },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false, description: 'PushSubscription.toJSON() from the browser' },
)

const Delivery = Type.Object({
  id: Type.String({ format: 'uuid' }),
  notificationId: Type.String({ format: 'uuid' }),
  template: Type.String(),
  channel: ChannelSchema,
  status: Type.Union(['queued', 'sent', 'failed', 'dead'].map((s) => Type.Literal(s))),
  attempts: Type.Integer(),
  lastError: Type.Union([Type.String(), Type.Null()]),
  scheduledFor: Type.String({ format: 'date-time' }),
  sentAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
})

const Browser = Type.Object({
  id: Type.String({ format: 'uuid' }),
  service: Type.String({ description: 'The push service’s host' }),
  createdAt: Type.String({ format: 'date-time' }),
})

/** The viewer's own person id, or 404 for anyone else's: whether the person exists is not told. */
function ownPerson(request: FastifyRequest): string {
  const { personId } = request.params as { personId: string }
  if (viewerPersonId(request) !== personId) throw new AppError('PERSON_NOT_FOUND')
  return personId
}

type Problems = Extract<CheckedPreferences, { kind: 'invalid' }>['problems']
const FIELD_IDS: Record<Problems[number]['field'], string> = {
  channels: 'channel-1',
  language: 'language-sv',
  quietFrom: 'quiet-from',
  quietUntil: 'quiet-until',
  preferredFrom: 'preferred-from',
  preferredUntil: 'preferred-until',
  email: 'email',
  mobile: 'mobile',
}

export async function notifyHttp(
  app: FastifyInstance,
  deps: { notify: Notify; views: Views },
): Promise<void> {
  const { notify, views } = deps

  const invalidPreferences = (request: FastifyRequest, problems: Problems) =>
    new AppError('INVALID_PREFERENCES', {
      fields: problems.map((p) => ({ field: p.field, message: request.t(`notify.problems.${p.problem}`) })),
    })

  app.get(
    '/api/v1/persons/:personId/notification-preferences',
    {
      preHandler: requireViewer,
      schema: {
        tags,
        summary: 'Hur du vill få aviseringar / How you want to be notified',
        params: Type.Object({ personId: PersonId }),
        response: { 200: PreferencesSchema },
      },
    },
    async (request) => notify.readPreferences(ownPerson(request)),
  )

  app.put(
    '/api/v1/persons/:personId/notification-preferences',
    {
      preHandler: requireViewer,
      schema: {
        tags,
        summary: 'Ändra hur du vill få aviseringar / Change how you want to be notified',
        description:
          'Channels in order of preference (email, sms, push); e-mail needs an address and SMS a mobile number. Problems are answered with 422 and the fields.',
        params: Type.Object({ personId: PersonId }),
        body: PreferencesBody,
        response: { 200: PreferencesSchema },
      },
    },
    async (request) => {
      const personId = ownPerson(request)
      const saved = await notify.savePreferences(personId, request.body as PreferencesInput)
      if (saved.kind === 'invalid') throw invalidPreferences(request, saved.problems)
      return saved.preferences
    },
  )

  app.get(
    '/api/v1/persons/:personId/push-subscriptions',
    {
      preHandler: requireViewer,
      schema: {
        tags,
        summary: 'Webbläsare som får pushnotiser / Browsers that get push notifications',
        params: Type.Object({ personId: PersonId }),
        response: { 200: Type.Object({ browsers: Type.Array(Browser) }) },
      },
    },
    async (request) => ({ browsers: await notify.listPushSubscriptions(ownPerson(request)) }),
  )

  app.post(
    '/api/v1/persons/:personId/push-subscriptions',
    {
      preHandler: requireViewer,
      schema: {
        tags,
        summary: 'Få pushnotiser i en webbläsare / Get push notifications in a browser',
        description:
          'The body is the browser’s PushSubscription as JSON. The endpoint must be an https address of a push service; the keys must be the browser’s P-256 key and 16-byte secret. Otherwise 400.',
        params: Type.Object({ personId: PersonId }),
        body: PushSubscriptionBody,
        response: { 201: Type.Object({ id: Type.String({ format: 'uuid' }) }) },
      },
    },
    async (request, reply) => {
      const personId = ownPerson(request)
      const body = request.body as { endpoint: string; keys: { p256dh: string; auth: string } }
      const kept = await notify.addPushSubscription(personId, body)
      if (kept.kind === 'invalid')
        throw new AppError('INVALID_PUSH_SUBSCRIPTION', {
          fields: [{ field: kept.problem, message: request.t(`notify.pushProblems.${kept.problem}`) }],
        })
      return reply.status(201).send({ id: kept.id })
    },
  )

  app.delete(
    '/api/v1/persons/:personId/push-subscriptions/:subscriptionId',
    {
      preHandler: requireViewer,
      schema: {
        tags,
        summary: 'Sluta få pushnotiser i en webbläsare / Stop push notifications in a browser',
        params: Type.Object({ personId: PersonId, subscriptionId: Type.String({ format: 'uuid' }) }),
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      const personId = ownPerson(request)
      const { subscriptionId } = request.params as { subscriptionId: string }
      if (!(await notify.removePushSubscription(personId, subscriptionId))) throw new AppError('NOT_FOUND')
      return reply.status(204).send()
    },
  )

  app.get(
    '/api/v1/persons/:personId/notifications',
    {
      preHandler: requireViewer,
      schema: {
        tags,
        summary:
          'Aviseringar som skickats till dig och hur det gick / Notifications sent to you, and how it went',
        description:
          'One entry per channel tried: queued, sent, failed (will be tried again) or dead (failed for good; the next channel takes over).',
        params: Type.Object({ personId: PersonId }),
        response: { 200: Type.Object({ messages: Type.Array(Delivery) }) },
      },
    },
    async (request) => ({ messages: await notify.listDeliveries(ownPerson(request)) }),
  )

  app.get(
    '/api/v1/push/public-key',
    {
      schema: {
        tags,
        summary: 'Samlas publika VAPID-nyckel / Samla’s public VAPID key for web push',
        response: { 200: Type.Object({ publicKey: Type.String() }) },
      },
    },
    async () => ({ publicKey: notify.vapidPublicKey }),
  )

  // The preference centre as a page: a form that works without JavaScript.

  const PAGE = '/mina-sidor/aviseringar'
  const renderPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: {
      form?: Record<string, string>
      errors?: Array<{ field: string; message: string }>
      saved?: boolean
    } = {},
    status = 200,
  ) => {
    const personId = viewerPersonId(request)
    const p = await notify.readPreferences(personId)
    const form = extra.form ?? {
      channel1: p.channels[0] ?? '',
      channel2: p.channels[1] ?? '',
      channel3: p.channels[2] ?? '',
      language: p.language,
      quietFrom: p.quietHours?.from ?? '',
      quietUntil: p.quietHours?.until ?? '',
      preferredFrom: p.preferredHours?.from ?? '',
      preferredUntil: p.preferredHours?.until ?? '',
      email: p.email ?? '',
      mobile: p.mobile ?? '',
      copyToRepresentatives: p.copyToRepresentatives ? 'on' : '',
    }
    return views.page(
      request,
      reply,
      '/modules/notify/views/preferences',
      {
        title: request.t('notify.title'),
        csrf: true,
        form,
        errors: extra.errors ?? [],
        saved: extra.saved ?? false,
        channels: CHANNELS,
        browsers: await notify.listPushSubscriptions(personId),
        deliveries: (await notify.listDeliveries(personId)).slice(0, 10).map((d) => ({
          ...d,
          when: formatDateTime(d.sentAt ?? d.createdAt, request.lang),
          scheduled: formatDateTime(d.scheduledFor, request.lang),
        })),
        personId,
        vapidPublicKey: notify.vapidPublicKey,
        hasDevMailbox: notify.hasDevMailbox,
      },
      status,
    )
  }

  app.get(PAGE, { preHandler: requireViewer }, async (request, reply) =>
    renderPage(request, reply, { saved: (request.query as Record<string, string>).sparat === '1' }),
  )

  app.post(
    PAGE,
    {
      preHandler: requireViewer,
      preValidation: app.csrfProtection,
      schema: {
        body: Type.Record(Type.String({ maxLength: 40 }), Type.String({ maxLength: 320 }), {
          maxProperties: 14,
        }),
      },
    },
    async (request, reply) => {
      const form = request.body as Record<string, string>
      const input: PreferencesInput = {
        channels: [form.channel1, form.channel2, form.channel3].filter((c): c is string => Boolean(c)),
        language: form.language ?? '',
        quietHours: { from: form.quietFrom ?? '', until: form.quietUntil ?? '' },
        preferredHours: { from: form.preferredFrom ?? '', until: form.preferredUntil ?? '' },
        email: form.email ?? '',
        mobile: form.mobile ?? '',
        copyToRepresentatives: form.copyToRepresentatives === 'on',
      }
      const saved = await notify.savePreferences(viewerPersonId(request), input)
      if (saved.kind === 'invalid')
        return renderPage(
          request,
          reply,
          {
            form,
            errors: saved.problems.map((p) => ({
              field: FIELD_IDS[p.field],
              message: request.t(`notify.problems.${p.problem}`),
            })),
          },
          422,
        )
      return reply.redirect(`${PAGE}?sparat=1`, 303)
    },
  )

  app.post(
    `${PAGE}/webblasare/:subscriptionId/ta-bort`,
    {
      preHandler: requireViewer,
      preValidation: app.csrfProtection,
      schema: { params: Type.Object({ subscriptionId: Type.String({ format: 'uuid' }) }) },
    },
    async (request, reply) => {
      const { subscriptionId } = request.params as { subscriptionId: string }
      if (!(await notify.removePushSubscription(viewerPersonId(request), subscriptionId)))
        throw new AppError('NOT_FOUND')
      return reply.redirect(PAGE, 303)
    },
  )

  // Only when Samla catches its own mail: a real relay's mail is not Samla's to show.
  if (notify.hasDevMailbox)
    app.get('/dev/mailbox', { preHandler: requireViewer }, async (request, reply) => {
      const mailbox = await notify.listMailbox(viewerPersonId(request))
      return views.page(request, reply, '/modules/notify/views/mailbox', {
        title: request.t('notify.mailbox.title'),
        mail: (mailbox?.mail ?? []).map((m) => ({ ...m, when: formatDateTime(m.receivedAt, request.lang) })),
        sms: (mailbox?.sms ?? []).map((m) => ({ ...m, when: formatDateTime(m.sentAt, request.lang) })),
      })
    })
}
