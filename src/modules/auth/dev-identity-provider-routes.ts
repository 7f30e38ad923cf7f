// The sign-in page of the development identity provider: a list of test persons instead of an
// eID app. It stands where a real provider's page would be and is not part of Samla's portal.
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { AppError } from '../../platform/errors.ts'
import type { Views } from '../../web/views.ts'
import { formatPersonalNumber } from '../people/index.ts'
import { DEV_INTERACTION_PATH, type DevIdentityProvider } from './dev-identity-provider.ts'

const Params = Type.Object({ uid: Type.String({ pattern: '^[A-Za-z0-9_-]{10,64}$' }) })

export async function devIdentityProviderRoutes(
  app: FastifyInstance,
  deps: { idp: DevIdentityProvider; views: Views },
) {
  const { idp, views } = deps
  const { provider } = idp

  const details = async (
    request: { raw: import('node:http').IncomingMessage },
    reply: { raw: import('node:http').ServerResponse },
  ) => {
    try {
      return await provider.interactionDetails(request.raw, reply.raw)
    } catch {
      throw new AppError('LOGIN_EXPIRED')
    }
  }

  app.get(`${DEV_INTERACTION_PATH}/:uid`, { schema: { params: Params } }, async (request, reply) => {
    const interaction = await details(request, reply)
    if (interaction.prompt.name === 'consent') {
      // Samla's own portal is a first-party client: the person has already agreed by signing in.
      const accountId = interaction.session?.accountId
      if (!accountId) throw new AppError('LOGIN_EXPIRED')
      const grant = new provider.Grant({ accountId, clientId: String(interaction.params.client_id) })
      grant.addOIDCScope(String(interaction.params.scope ?? 'openid'))
      const grantId = await grant.save()
      reply.hijack()
      await provider.interactionFinished(
        request.raw,
        reply.raw,
        { consent: { grantId } },
        { mergeWithLastSubmission: true },
      )
      return reply
    }
    return views.page(request, reply, '/modules/auth/views/dev-sign-in', {
      title: request.t('auth.devIdp.title'),
      csrf: true,
      signingIn: true,
      action: `${DEV_INTERACTION_PATH}/${interaction.uid}`,
      users: idp.users.map((u) => ({ ...u, formatted: formatPersonalNumber(u.personalNumber) })),
    })
  })

  app.post(
    `${DEV_INTERACTION_PATH}/:uid`,
    {
      preValidation: app.csrfProtection,
      schema: {
        params: Params,
        body: Type.Object({ personalNumber: Type.String({ pattern: '^\\d{12}$' }), _csrf: Type.String() }),
      },
    },
    async (request, reply) => {
      const interaction = await details(request, reply)
      const { personalNumber } = request.body as { personalNumber: string }
      const user = idp.users.find((u) => u.personalNumber === personalNumber)
      if (!user || interaction.prompt.name !== 'login') throw new AppError('LOGIN_FAILED')
      reply.hijack()
      await provider.interactionFinished(
        request.raw,
        reply.raw,
        { login: { accountId: user.subject, acr: idp.assuranceLevel, amr: ['eid'] } },
        { mergeWithLastSubmission: false },
      )
      return reply
    },
  )
}
