import assert from 'node:assert/strict'
import { createECDH, randomBytes, randomUUID } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { SMTPServer } from 'smtp-server'
import { buildTestContainer } from '../../../test/helpers/container.ts'
import { ENGINES } from '../../../test/helpers/databases.ts'
import { freePort } from '../../../test/helpers/free-port.ts'
import type { Container } from '../../app/container.ts'
import { createJobWorker } from '../../app/jobs.ts'
import { createManualClock } from '../../platform/clock.ts'
import type { Worker } from '../../platform/jobs/worker.ts'
import type { PushSender, PushTarget } from './index.ts'

const caseId = '5d0c3b52-8d8e-4a7e-b7a4-2f3f1c1d9e01'

/** A browser's push subscription as the browser would make it. */
function browserSubscription(endpoint = `https://fcm.googleapis.com/fcm/send/${randomUUID()}`) {
  const ecdh = createECDH('prime256v1')
  ecdh.generateKeys()
  return {
    endpoint,
    keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: randomBytes(16).toString('base64url') },
  }
}

/** A push service that takes every message, or says the subscription is gone. */
function recordingPushService() {
  const pushes: Array<{ target: PushTarget; payload: Record<string, string> }> = []
  const gone = new Set<string>()
  const sender: PushSender = {
    async send(target, payload) {
      if (gone.has(target.endpoint)) return 'gone'
      pushes.push({ target, payload: JSON.parse(payload) })
      return 'sent'
    },
  }
  return { sender, pushes, gone }
}

for (const engine of ENGINES) {
  describe(`notifications on ${engine}`, () => {
    const clock = createManualClock('2026-11-25T09:00:00Z')
    const push = recordingPushService()
    let c: Container
    let drop: () => Promise<void>
    let worker: Worker
    before(async () => {
      ;({ container: c, drop } = await buildTestContainer(engine, {
        clock,
        seed: false,
        pushSender: push.sender,
      }))
      worker = createJobWorker(c, { concurrency: 4 })
    })
    after(() => drop())

    it('sends an e-mail over SMTP that arrives in the development mailbox', async () => {
      clock.set('2026-11-25T09:00:00Z')
      const anna = randomUUID()
      const saved = await c.notify.savePreferences(anna, {
        channels: ['email'],
        language: 'sv',
        email: 'anna.berg@example.se',
      })
      assert.equal(saved.kind, 'valid')
      const sent = await c.notify.sendNotification({
        personId: anna,
        template: 'case-decision',
        data: { caseId },
        uniqueKey: `decision:${caseId}`,
      })
      assert.equal(sent.kind, 'queued')
      assert.equal(sent.kind === 'queued' && sent.channel, 'email')
      assert.equal(await worker.drain(), 1)

      const mailbox = await c.notify.listMailbox(anna)
      assert.equal(mailbox?.mail.length, 1)
      const mail = mailbox?.mail[0]
      assert.equal(mail?.subject, 'Du har fått ett beslut i Samla')
      assert.deepEqual(mail?.to, ['anna.berg@example.se'])
      assert.match(mail?.text ?? '', new RegExp(`Läs beslutet: http://localhost:3999/mina-arenden/${caseId}`))
      const [delivery] = await c.notify.listDeliveries(anna)
      assert.equal(delivery?.status, 'sent')
      assert.equal(delivery?.attempts, 1)

      const again = await c.notify.sendNotification({
        personId: anna,
        template: 'case-decision',
        data: { caseId },
        uniqueKey: `decision:${caseId}`,
      })
      assert.equal(again.kind, 'already-sent', 'the same key sends nothing more')
      assert.equal(await worker.drain(), 0)
    })

    it('shows each person only the mail sent to them', async () => {
      const other = randomUUID()
      assert.deepEqual(await c.notify.listMailbox(other), { mail: [], sms: [] })
    })

    it('holds an SMS back during the quiet hours and sends it when they end', async () => {
      clock.set('2026-11-25T21:30:00Z') // 22:30 in Stockholm
      const erik = randomUUID()
      await c.notify.savePreferences(erik, {
        channels: ['sms', 'email'],
        language: 'en',
        quietHours: { from: '21:00', until: '07:00' },
        mobile: '070-111 22 33',
        email: 'erik@example.se',
      })
      const sent = await c.notify.sendNotification({
        personId: erik,
        template: 'case-request',
        data: { caseId },
      })
      assert.deepEqual(sent.kind === 'queued' && [sent.channel, sent.scheduledFor], [
        'sms',
        '2026-11-26T06:00:00.000Z',
      ])
      assert.equal(await worker.drain(), 0, 'nothing goes in the night')
      clock.set('2026-11-26T06:00:00Z')
      assert.equal(await worker.drain(), 1)
      const mailbox = await c.notify.listMailbox(erik)
      assert.equal(mailbox?.sms.length, 1)
      assert.equal(mailbox?.sms[0]?.to, '+46701112233')
      assert.match(mailbox?.sms[0]?.text ?? '', /^Samla: One of your cases is waiting for you/)
    })

    it('pushes to the person’s browsers, and forgets a browser whose subscription is gone', async () => {
      clock.set('2026-11-25T12:00:00Z')
      const sara = randomUUID()
      const phone = browserSubscription()
      const laptop = browserSubscription()
      for (const s of [phone, laptop])
        assert.equal((await c.notify.addPushSubscription(sara, s)).kind, 'kept')
      push.gone.add(laptop.endpoint)
      await c.notify.savePreferences(sara, { channels: ['push'], language: 'sv' })
      await c.notify.sendNotification({ personId: sara, template: 'case-decision', data: { caseId } })
      assert.equal(await worker.drain(), 1)
      const mine = push.pushes.filter((p) => p.target.endpoint === phone.endpoint)
      assert.equal(mine.length, 1)
      assert.equal(mine[0]?.payload.title, 'Du har fått ett beslut')
      assert.equal(mine[0]?.payload.url, `http://localhost:3999/mina-arenden/${caseId}`)
      assert.deepEqual(
        (await c.notify.listPushSubscriptions(sara)).map((b) => b.service),
        ['fcm.googleapis.com'],
        'the gone browser is forgotten',
      )
    })

    it('refuses a push subscription that Samla could not or should not send to', async () => {
      const good = browserSubscription()
      const cases: Array<[unknown, string]> = [
        [{ ...good, endpoint: 'http://fcm.googleapis.com/fcm/send/x' }, 'endpoint'],
        [{ ...good, endpoint: 'https://127.0.0.1/push' }, 'endpoint'],
        [{ ...good, endpoint: 'https://localhost/push' }, 'endpoint'],
        [{ ...good, endpoint: 'https://push.internal/x' }, 'endpoint'],
        [{ ...good, endpoint: 'not a url' }, 'endpoint'],
        [{ ...good, keys: { ...good.keys, p256dh: 'BAAA' } }, 'p256dh'],
        [{ ...good, keys: { ...good.keys, p256dh: Buffer.alloc(65, 4).toString('base64url') } }, 'p256dh'],
        [{ ...good, keys: { ...good.keys, auth: 'c2hvcnQ' } }, 'auth'],
      ]
      for (const [subscription, problem] of cases)
        assert.deepEqual(
          await c.notify.addPushSubscription(randomUUID(), subscription as typeof good),
          { kind: 'invalid', problem },
          JSON.stringify(subscription),
        )
    })

    it('tells the person of nothing when they have chosen no channel', async () => {
      const result = await c.notify.sendNotification({
        personId: randomUUID(),
        template: 'case-decision',
        data: { caseId },
      })
      assert.deepEqual(result, { kind: 'no-channel' })
    })
  })

  describe(`an SMTP server that refuses, on ${engine}`, () => {
    const clock = createManualClock('2026-11-25T09:00:00Z')
    let refused = 0
    let smtp: SMTPServer
    let c: Container
    let drop: () => Promise<void>
    let worker: Worker
    before(async () => {
      smtp = new SMTPServer({
        authOptional: true,
        disabledCommands: ['STARTTLS', 'AUTH'],
        logger: false,
        onRcptTo(_address, _session, callback) {
          refused++
          callback(Object.assign(new Error('Mailbox busy, try again later'), { responseCode: 451 }))
        },
      })
      const port = await freePort()
      await new Promise<void>((resolve) => smtp.listen(port, '127.0.0.1', resolve))
      ;({ container: c, drop } = await buildTestContainer(engine, {
        clock,
        seed: false,
        env: { SMTP_URL: `smtp://127.0.0.1:${port}` },
      }))
      worker = createJobWorker(c, { concurrency: 2 })
    })
    after(async () => {
      await drop()
      await new Promise<void>((resolve) => smtp.close(() => resolve()))
    })

    it('has no development mailbox: the configured server gets the mail', async () => {
      assert.equal(c.notify.hasDevMailbox, false)
      assert.equal(await c.notify.listMailbox(randomUUID()), undefined)
    })

    it('tries the e-mail again with a growing wait, then sends an SMS instead; nothing is lost', async () => {
      const johan = randomUUID()
      await c.notify.savePreferences(johan, {
        channels: ['email', 'sms'],
        language: 'sv',
        email: 'johan@example.se',
        mobile: '0731234567',
      })
      await c.notify.sendNotification({ personId: johan, template: 'case-decision', data: { caseId } })
      const db = c.database.db
      const deliveryJob = () =>
        db
          .selectFrom('jobs.jobs')
          .selectAll()
          .where('name', '=', 'notify.deliver-message')
          .orderBy('id', 'desc')
          .executeTakeFirstOrThrow()

      const waits: number[] = []
      for (let attempt = 1; attempt <= 5; attempt++) {
        assert.equal(await worker.runOnce(), 1, `attempt ${attempt} runs`)
        const email = (await c.notify.listDeliveries(johan)).find((d) => d.channel === 'email')
        assert.equal(email?.channel, 'email')
        assert.equal(email?.attempts, attempt)
        assert.match(email?.lastError ?? '', /Mailbox busy/)
        if (attempt < 5) {
          assert.equal(email?.status, 'failed')
          const job = await deliveryJob()
          const wait = job.run_at.getTime() - clock.now().epochMilliseconds
          waits.push(wait)
          assert.equal(await worker.runOnce(), 0, 'not before the wait is over')
          clock.advance({ milliseconds: wait })
        } else assert.equal(email?.status, 'dead')
      }
      assert.equal(refused, 5)
      const base = [30_000, 60_000, 120_000, 240_000]
      waits.forEach((w, i) => {
        const expected = base[i] ?? 0
        assert.ok(w >= expected && w <= expected * 1.1, `wait ${i + 1} was ${w} ms`)
      })

      // The e-mail failed for good: the SMS, the person's second choice, takes over.
      assert.equal(await worker.drain(), 1)
      const deliveries = await c.notify.listDeliveries(johan)
      assert.deepEqual(
        deliveries.map((d) => [d.channel, d.status]),
        [
          ['sms', 'sent'],
          ['email', 'dead'],
        ],
      )
      assert.equal(new Set(deliveries.map((d) => d.notificationId)).size, 1, 'one notification, two channels')
      const sms = await db.selectFrom('notify.demo_sms').selectAll().execute()
      assert.equal(sms.length, 1)
      assert.equal(sms[0]?.to_number, '+46731234567')
    })

    it('ends a notification whose every channel failed with each message dead, the last error kept', async () => {
      const lina = randomUUID()
      await c.notify.savePreferences(lina, { channels: ['email'], language: 'sv', email: 'lina@example.se' })
      await c.notify.sendNotification({ personId: lina, template: 'case-request', data: { caseId } })
      for (let i = 0; i < 5; i++) {
        await worker.runOnce()
        clock.advance({ hours: 1 })
      }
      const [email] = await c.notify.listDeliveries(lina)
      assert.equal(email?.status, 'dead')
      assert.match(email?.lastError ?? '', /Mailbox busy/)
      assert.equal(await worker.drain(), 0)
    })
  })
}
