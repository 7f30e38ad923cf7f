// Journey 4, "Flytta": Johan moves from Sundsvall to Göteborg and reports it once in Samla.
// Skatteverket gets the notice of move first; then Försäkringskassan, CSN, the Pensions Agency and
// both municipalities, each with a receipt. CSN's webhook is down at first: its delivery shows as
// failed on the plan, is tried again, and arrives. When the register's event of the same move comes
// back it is not passed on twice. Bad input gets a clear answer and stores nothing.
import assert from 'node:assert/strict'
import { createPublicKey } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { createJobWorker } from '../../src/app/jobs.ts'
import { verifySignedEvent } from '../../src/modules/interop/index.ts'
import { createManualClock } from '../../src/platform/clock.ts'
import type { Worker } from '../../src/platform/jobs/worker.ts'
import { buildTestApp, PERSONS, type TestApp } from '../helpers/app.ts'
import { formSecrets } from '../helpers/forms.ts'

const NEW_ADDRESS = {
  street: 'Vasagatan 12',
  postalCode: '411 24',
  city: 'Göteborg',
  municipalityId: 'goteborgs-stad',
  moveDate: '2026-12-15',
}

describe('journey 4: Johan reports his move once', () => {
  const clock = createManualClock('2026-11-25T09:00:00Z')
  let t: TestApp
  let worker: Worker
  let csn: Server
  let johan: string
  let cookie: string
  const received: Array<{ attempt: number; verified: boolean; type?: string }> = []
  let keys = new Map<string, ReturnType<typeof createPublicKey>>()

  before(async () => {
    // CSN's system: down for the first message, then it takes it and answers with a receipt.
    csn = createServer((request, response) => {
      let body = ''
      request.on('data', (chunk) => {
        body += chunk
      })
      request.on('end', () => {
        const event = verifySignedEvent(keys, request.headers as Record<string, string>, body)
        received.push({ attempt: received.length + 1, verified: event !== undefined, type: event?.type })
        if (received.length === 1) {
          response.writeHead(503).end('down for maintenance')
          return
        }
        response.writeHead(event ? 200 : 401, { 'content-type': 'application/json' })
        response.end(JSON.stringify(event ? { receiptId: `CSN-${received.length}` } : {}))
      })
    })
    await new Promise<void>((resolve) => csn.listen(0, '127.0.0.1', resolve))
    const port = (csn.address() as AddressInfo).port
    t = await buildTestApp({ clock, env: { INTEROP_CONNECTORS: `csn=http://127.0.0.1:${port}/events` } })
    worker = createJobWorker(t.container)
    johan = await t.personId(PERSONS.johan)
    cookie = await t.signIn(PERSONS.johan)
    const jwks = (await t.app.inject({ url: '/api/v1/interop/signing-keys' })).json() as {
      keys: Array<{ kid: string }>
    }
    keys = new Map(jwks.keys.map((k) => [k.kid, createPublicKey({ key: k as never, format: 'jwk' })]))
  })
  after(async () => {
    await t.close()
    await new Promise((resolve) => csn.close(resolve))
  })

  const plan = async () =>
    (
      await t.app.inject({
        url: `/api/v1/persons/${johan}/plans/flytta`,
        headers: { cookie, accept: 'application/json' },
      })
    ).json()

  const report = (body: object, key = 'move-key-0001') =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/persons/${johan}/moves`,
      headers: { cookie, 'idempotency-key': key, 'content-type': 'application/json' },
      payload: body,
    })

  it('answers bad input with a clear 4xx and stores nothing', async () => {
    const unknown = await report({ ...NEW_ADDRESS, municipalityId: 'atlantis' })
    assert.equal(unknown.statusCode, 400)
    assert.equal(unknown.json().error.code, 'UNKNOWN_MUNICIPALITY')
    const impossible = await report({ ...NEW_ADDRESS, moveDate: '2026-02-30' })
    assert.equal(impossible.statusCode, 400)
    assert.equal(impossible.json().error.code, 'INVALID_DATE')
    const longAgo = await report({ ...NEW_ADDRESS, moveDate: '2020-01-01' })
    assert.equal(longAgo.statusCode, 422)
    assert.match(longAgo.json().error.fields[0].message, /mer än ett år sedan/)
    const { street: _street, ...withoutStreet } = NEW_ADDRESS
    assert.equal((await report(withoutStreet)).statusCode, 400)
    const badPostalCode = await report({ ...NEW_ADDRESS, postalCode: '4112' })
    assert.equal(badPostalCode.statusCode, 422)
    assert.equal(badPostalCode.json().error.fields[0].field, 'postalCode')

    // The form says the same in words, next to the field.
    const form = await t.app.inject({ url: '/flytta/anmal', headers: { cookie } })
    assert.equal(form.statusCode, 200)
    const secrets = formSecrets(form, cookie)
    const refused = await t.app.inject({
      method: 'POST',
      url: '/flytta/anmal',
      headers: { cookie: secrets.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        _csrf: secrets.csrf,
        idempotencyKey: 'form-key-0001',
        ...NEW_ADDRESS,
        municipalityId: '',
        moveDate: '2026-13-01',
      }).toString(),
    })
    assert.equal(refused.statusCode, 422)
    assert.match(refused.body, /Välj kommunen du flyttar till/)
    assert.equal((await plan()).tellUsOnce, undefined, 'nothing was stored')
  })

  it('reports the move once in the form; a double submit is one report', async () => {
    const form = await t.app.inject({ url: '/flytta/anmal', headers: { cookie } })
    const secrets = formSecrets(form, cookie)
    const submit = () =>
      t.app.inject({
        method: 'POST',
        url: '/flytta/anmal',
        headers: { cookie: secrets.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({
          _csrf: secrets.csrf,
          idempotencyKey: 'form-key-0002',
          ...NEW_ADDRESS,
        }).toString(),
      })
    const first = await submit()
    assert.equal(first.statusCode, 303)
    assert.equal(first.headers.location, '/livshandelser/flytta#anmald-flytt')
    assert.equal((await submit()).statusCode, 303)
    const p = await plan()
    assert.equal(p.tellUsOnce.date, '2026-12-15')
    assert.deepEqual(
      p.tellUsOnce.deliveries.map((d: { agencyId: string; status: string }) => `${d.agencyId}:${d.status}`),
      [
        'skatteverket:pending',
        'csn:waiting',
        'forsakringskassan:waiting',
        'goteborgs-stad:waiting',
        'pensionsmyndigheten:waiting',
        'sundsvalls-kommun:waiting',
      ],
    )
    // The same move again under another key is refused, not sent twice.
    const again = await report(NEW_ADDRESS, 'move-key-0002')
    assert.equal(again.statusCode, 409)
    assert.equal(again.json().error.code, 'MOVE_ALREADY_REPORTED')
  })

  it('tells Skatteverket first, then everyone who follows the register, each with a receipt', async () => {
    await worker.drain()
    const p = await plan()
    const byAgency = new Map(p.tellUsOnce.deliveries.map((d: { agencyId: string }) => [d.agencyId, d]))
    for (const agency of [
      'skatteverket',
      'forsakringskassan',
      'pensionsmyndigheten',
      'sundsvalls-kommun',
      'goteborgs-stad',
    ]) {
      const d = byAgency.get(agency) as { status: string; receiptId?: string; deliveredAt?: string }
      assert.equal(d.status, 'delivered', agency)
      assert.ok(d.receiptId && d.deliveredAt, `${agency} gave a receipt`)
    }
    // CSN was down: the delivery is failed, with a clear message on the plan, and will be tried again.
    assert.equal((byAgency.get('csn') as { status: string }).status, 'failed')
    const step = (id: string) => p.steps.find((s: { id: string }) => s.id === id)
    assert.equal(step('flyttanmalan').status, 'done')
    assert.equal(step('flyttanmalan').delivery.agencyId, 'skatteverket')
    assert.equal(step('nya-kommunen-far-uppgifterna').delivery.agencyId, 'goteborgs-stad')
    assert.equal(step('gamla-kommunen-far-uppgifterna').delivery.agencyId, 'sundsvalls-kommun')
    assert.equal(step('csn-far-adressen').delivery.status, 'failed')
    // What does not update by itself is still there, for each municipality, with what to do.
    assert.equal(step('avsluta-i-gamla-kommunen').responsible.agencyId, 'sundsvalls-kommun')
    assert.equal(step('parkeringstillstand-i-nya-kommunen').responsible.agencyId, 'goteborgs-stad')
    assert.equal(step('vatten-och-avfall').status, 'to-do')

    const page = await t.app.inject({ url: '/livshandelser/flytta', headers: { cookie } })
    assert.match(page.body, /Du har anmält flytten/)
    assert.match(page.body, /Samla försöker igen av sig självt/)
    assert.match(page.body, /Kvitto: /)

    // What Skatteverket received: a CloudEvent signed by Samla, with the new address.
    const inbox = await t.container.database.db
      .selectFrom('interop.demo_inbox')
      .selectAll()
      .where('agency_id', '=', 'skatteverket')
      .execute()
    assert.equal(inbox.length, 1)
    const row = inbox[0] as (typeof inbox)[number]
    const event = verifySignedEvent(
      keys,
      { 'content-type': row.content_type, 'samla-signature': row.signature },
      row.body,
    )
    assert.ok(event, 'the signature holds')
    assert.equal(event.type, 'se.samla.person.moved')
    assert.equal(event.specversion, '1.0')
    assert.deepEqual(
      {
        to: (event.data as { toMunicipalityId: string }).toMunicipalityId,
        on: (event.data as { occurredOn: string }).occurredOn,
      },
      { to: 'goteborgs-stad', on: '2026-12-15' },
    )
  })

  it('tries CSN again after a wait, and the move arrives with a receipt', async () => {
    clock.advance({ minutes: 2 })
    await worker.drain()
    const csnDelivery = (await plan()).tellUsOnce.deliveries.find(
      (d: { agencyId: string }) => d.agencyId === 'csn',
    )
    assert.equal(csnDelivery.status, 'delivered')
    assert.equal(csnDelivery.receiptId, 'CSN-2')
    assert.equal(csnDelivery.attempts, 2)
    assert.deepEqual(
      received.map((r) => r.verified),
      [true, true],
      'both attempts were signed by Samla',
    )
  })

  it('does not pass the move on twice when the register event of the same move comes back', async () => {
    clock.set('2026-12-16T09:00:00Z')
    cookie = await t.signIn(PERSONS.johan) // the day after the move: a new sign-in
    const recorded = await t.container.people.recordRegisterEvent({
      sourceEventId: 'skv-flytt-1',
      kind: 'move',
      personalNumber: PERSONS.johan,
      occurredOn: '2026-12-15',
      data: {
        municipality: 'goteborgs-stad',
        street: 'Vasagatan 12',
        postalCode: '411 24',
        city: 'Göteborg',
      },
    })
    assert.equal(recorded.kind, 'recorded')
    await worker.drain()
    const changes = await t.container.database.db
      .selectFrom('interop.changes')
      .select(['source'])
      .where('person_id', '=', johan)
      .execute()
    assert.deepEqual(
      changes.map((c) => c.source),
      ['samla'],
      'one change, passed on once',
    )
    assert.equal((await plan()).tellUsOnce.deliveries.length, 6)
  })

  it('passes a registered death to Försäkringskassan, the Pensions Agency and the municipality', async () => {
    const greta = await t.personId(PERSONS.greta)
    const recorded = await t.container.people.recordRegisterEvent({
      sourceEventId: 'skv-dod-1',
      kind: 'death',
      personalNumber: PERSONS.greta,
      occurredOn: '2026-12-14',
      data: {},
    })
    assert.equal(recorded.kind, 'recorded')
    await worker.drain()
    const deliveries = await t.container.database.db
      .selectFrom('interop.deliveries')
      .select(['agency_id', 'status', 'receipt_id'])
      .where('person_id', '=', greta)
      .orderBy('agency_id')
      .execute()
    assert.deepEqual(
      deliveries.map((d) => `${d.agency_id}:${d.status}`),
      ['forsakringskassan:delivered', 'nacka-kommun:delivered', 'pensionsmyndigheten:delivered'],
    )
  })
})
