// Journey 6, the tax return at the right moment, through the HTTP server: Erik shares his calendar
// with Skatteverket for scheduling only and says when he likes to be contacted. The tax return
// opens; Samla plans his reminder on a free day before the deadline, within his preferred hours,
// and tells him why. He moves it, and dismisses another; he stops sharing the calendar and the next
// planning does without it; at the moment the e-mail arrives at the development mailbox.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { createJobWorker } from '../../src/app/jobs.ts'
import { withoutRecord } from '../../src/platform/access-scope.ts'
import { createManualClock } from '../../src/platform/clock.ts'
import { buildTestApp, PERSONS, type TestApp } from '../helpers/app.ts'
import { formSecrets } from '../helpers/forms.ts'

// Tuesday 17 March 2026, 07:00 Swedish time: the tax return opens.
const clock = createManualClock('2026-03-17T06:00:00Z')
const PAGE = '/mina-sidor/paminnelser'

/** Erik's calendar: training every evening from Wednesday 18 to Friday 20 March. */
const ICS = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//Test//Samla//SV',
  ...['18', '19', '20'].flatMap((d) => [
    'BEGIN:VEVENT',
    `UID:traning-${d}@example.se`,
    'DTSTAMP:20260301T000000Z',
    `DTSTART;TZID=Europe/Stockholm:202603${d}T170000`,
    `DTEND;TZID=Europe/Stockholm:202603${d}T210000`,
    'SUMMARY:Träning med laget',
    'END:VEVENT',
  ]),
  'END:VCALENDAR',
  '',
].join('\r\n')

let t: TestApp
let erik: string
let erikId: string
let consentId: string
const worker = () => createJobWorker(t.container)
before(async () => {
  t = await buildTestApp({ clock })
  erik = await t.signIn(PERSONS.erik)
  erikId = await t.personId(PERSONS.erik)
})
after(() => t.close())

async function postForm(path: string, fields: Record<string, string>, from = PAGE) {
  const page = await t.app.inject({ url: from, headers: { cookie: erik } })
  const { csrf, cookie } = formSecrets(page, erik)
  return t.app.inject({
    method: 'POST',
    url: path,
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: csrf, ...fields }).toString(),
  })
}

async function shareCalendar() {
  const page = await t.app.inject({ url: '/mina-sidor/kalender', headers: { cookie: erik } })
  const { csrf, cookie } = formSecrets(page, erik)
  const boundary = 'samlakalender'
  const field = (k: string, v: string) =>
    `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`
  const payload = [
    field('_csrf', csrf),
    field('agencyId', 'skatteverket'),
    field('link', ''),
    `--${boundary}\r\nContent-Disposition: form-data; name="calendar"; filename="erik.ics"\r\nContent-Type: text/calendar\r\n\r\n${ICS}\r\n`,
    `--${boundary}--\r\n`,
  ].join('')
  return t.app.inject({
    method: 'POST',
    url: '/mina-sidor/kalender',
    headers: { cookie, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload,
  })
}

const reminders = async () =>
  (await t.app.inject({ url: `/api/v1/persons/${erikId}/reminders`, headers: { cookie: erik } })).json()
    .reminders as Array<{ id: string; scheduledFor: string; plannedBy: string; status: string; why: string }>

/** Reads of Erik's data for scheduling: each one a look at his calendar's free days. */
const schedulingReads = async () =>
  (
    await t.app.inject({ url: '/api/v1/me/access-records?purpose=scheduling', headers: { cookie: erik } })
  ).json().total as number

describe('journey 6: the tax return, at the right moment', () => {
  it('Erik chooses e-mail, evenings between 18 and 20, and quiet nights', async () => {
    const saved = await postForm(
      '/mina-sidor/aviseringar',
      {
        channel1: 'email',
        email: 'erik.lindqvist@example.se',
        language: 'sv',
        quietFrom: '21:00',
        quietUntil: '07:00',
        preferredFrom: '18:00',
        preferredUntil: '20:00',
      },
      '/mina-sidor/aviseringar',
    )
    assert.equal(saved.statusCode, 303)
    const wrong = await postForm(
      '/mina-sidor/aviseringar',
      {
        channel1: 'email',
        email: 'erik.lindqvist@example.se',
        language: 'sv',
        preferredFrom: '20:00',
        preferredUntil: '18:00',
      },
      '/mina-sidor/aviseringar',
    )
    assert.equal(wrong.statusCode, 422)
    assert.match(wrong.body, /Till-tiden måste vara senare än från-tiden/)
  })

  it('he shares his calendar with Skatteverket, for scheduling only', async () => {
    const shared = await shareCalendar()
    assert.equal(shared.statusCode, 303)
    consentId = new URL(String(shared.headers.location), 'http://x').searchParams.get('shared') as string
    assert.ok(consentId)
  })

  it('the tax return opens: his reminder falls on the first free weekday before the deadline, in his hours', async () => {
    await t.container.proactive.enqueueDateScan('2026-03-17', 1)
    assert.equal(await worker().drain(), 2, 'the scan, then the planning')
    const [r] = await reminders()
    // Busy Wednesday to Friday evening, and the weekend is passed over: Monday 23 March at 18:00.
    assert.equal(r?.scheduledFor, '2026-03-23T17:00:00.000Z')
    assert.equal(r?.plannedBy, 'calendar')
    assert.equal(await schedulingReads(), 1, 'Skatteverket’s look at his free days is in his access records')
  })

  it('he sees why, and why then', async () => {
    const page = await t.app.inject({ url: PAGE, headers: { cookie: erik } })
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /Lämna din inkomstdeklaration/)
    assert.match(page.body, /Varför ser jag detta\?/)
    assert.match(
      page.body,
      /Du ser detta för att inkomstdeklarationen går att lämna från den 17 mars 2026 och du hade inkomst 2025\. Sista dag att deklarera är den 4 maj 2026/,
    )
    assert.match(page.body, /23 mars 2026 18:00/)
    assert.match(page.body, /kalendern du delar med Skatteverket visar att du är ledig/)
    assert.match(page.body, /Vi gissar aldrig hur du mår/)
    assert.doesNotMatch(page.body, /Träning/)
  })

  it('he moves it to a day of his choice, but not past the deadline', async () => {
    const [r] = await reminders()
    const late = await postForm(`${PAGE}/${r?.id}/flytta`, { day: '2026-05-04' })
    assert.equal(late.statusCode, 422)
    assert.match(late.body, /Välj en dag före sista dagen, 4 maj 2026/)
    const garbled = await postForm(`${PAGE}/${r?.id}/flytta`, { day: 'nästa tisdag' })
    assert.equal(garbled.statusCode, 422)
    assert.match(garbled.body, /Skriv dagen som åååå-mm-dd/)
    const moved = await postForm(`${PAGE}/${r?.id}/flytta`, { day: '2026-03-26' })
    assert.equal(moved.statusCode, 303)
    const page = await t.app.inject({ url: String(moved.headers.location), headers: { cookie: erik } })
    assert.match(page.body, /Påminnelsen är flyttad/)
    assert.match(page.body, /26 mars 2026 18:00/)
    assert.match(page.body, /Du valde dagen själv/)
  })

  it('he dismisses another, and it is gone from what is coming', async () => {
    // A second reminder: next year's tax return, fired here directly.
    await withoutRecord('date-triggers', () =>
      t.container.database.db
        .insertInto('proactive.fired_triggers')
        .values({
          person_id: erikId,
          kind: 'tax-return-opens',
          occasion: '2027',
          due_on: '2027-03-16',
          reason: 'Inkomstdeklarationen för 2026.',
          fired_on: '2026-03-17',
        })
        .execute(),
    )
    assert.equal(
      await t.container.proactive.offers.planOffers({ date: '2026-03-17', partition: 0, partitions: 1 }),
      1,
    )
    const second = (await reminders()).find((r) => r.status === 'scheduled' && r.plannedBy !== 'person')
    assert.ok(second)
    const dismissed = await postForm(`${PAGE}/${second.id}/ta-bort`, {})
    assert.equal(dismissed.statusCode, 303)
    const again = await postForm(`${PAGE}/${second.id}/ta-bort`, {})
    assert.equal(again.statusCode, 409)
    assert.equal((await reminders()).find((r) => r.id === second.id)?.status, 'dismissed')
    const page = await t.app.inject({ url: `${PAGE}?borttagen=1`, headers: { cookie: erik } })
    assert.match(page.body, /Påminnelsen är borttagen/)
  })

  it('he stops sharing the calendar: the next planning does without it, and reads nothing', async () => {
    const reads = await schedulingReads()
    const stopped = await postForm(
      `/mina-sidor/samtycken/${consentId}/aterkalla`,
      {},
      '/mina-sidor/samtycken',
    )
    assert.equal(stopped.statusCode, 303)
    await worker().drain()
    // A reminder planned now, for the return after next, finds no calendar and uses the default.
    await withoutRecord('date-triggers', () =>
      t.container.database.db
        .insertInto('proactive.fired_triggers')
        .values({
          person_id: erikId,
          kind: 'tax-return-opens',
          occasion: '2028',
          due_on: '2028-03-14',
          reason: 'Inkomstdeklarationen för 2027.',
          fired_on: '2026-03-17',
        })
        .execute(),
    )
    assert.equal(
      await t.container.proactive.offers.planOffers({ date: '2026-03-17', partition: 0, partitions: 1 }),
      1,
    )
    const next = (await reminders()).find((r) => r.status === 'scheduled' && r.plannedBy === 'default')
    assert.equal(next?.scheduledFor, '2026-03-18T17:00:00.000Z')
    assert.equal(await schedulingReads(), reads, 'no new look at the calendar')
  })

  it('at the moment, the e-mail with the reason arrives at the development mailbox', async () => {
    clock.set('2026-03-26T17:00:00Z')
    erik = await t.signIn(PERSONS.erik)
    await worker().drain()
    const moved = (await reminders()).find((r) => r.scheduledFor === '2026-03-26T17:00:00.000Z')
    assert.equal(moved?.status, 'sent')
    const mailbox = await t.app.inject({ url: '/dev/mailbox', headers: { cookie: erik } })
    assert.equal(mailbox.statusCode, 200)
    assert.match(mailbox.body, /Påminnelse: Lämna din inkomstdeklaration/)
    assert.match(
      mailbox.body,
      /Du ser detta för att inkomstdeklarationen går att lämna från den 17 mars 2026/,
    )
    assert.match(mailbox.body, /erik\.lindqvist@example\.se/)
  })
})
