// Sharing a calendar for scheduling only, through the HTTP server: Erik uploads his calendar (or
// gives a link) for Skatteverket; Samla keeps only when he is busy, shows him exactly that, and
// deletes it when he stops sharing. Files that cannot be read get a clear message, and no one else
// sees or touches his calendar.
import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { buildTestApp, PERSONS, type TestApp } from '../helpers/app.ts'
import { formSecrets } from '../helpers/forms.ts'

const ICS = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//Test//Samla//SV',
  'BEGIN:VEVENT',
  'UID:tandlakare@example.se',
  'DTSTAMP:20261101T000000Z',
  'DTSTART;TZID=Europe/Stockholm:20261201T090000',
  'DTEND;TZID=Europe/Stockholm:20261201T100000',
  'SUMMARY:Tandläkaren',
  'LOCATION:Folktandvården Nacka',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:simning@example.se',
  'DTSTAMP:20261101T000000Z',
  'DTSTART;TZID=Europe/Stockholm:20261203T180000',
  'DTEND;TZID=Europe/Stockholm:20261203T190000',
  'RRULE:FREQ=WEEKLY;BYDAY=TH',
  'SUMMARY:Simning med Vilgot',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n')

let t: TestApp
let erik: string
let lina: string
let erikId: string
let links: Server
let linkBase: string
before(async () => {
  t = await buildTestApp()
  erik = await t.signIn(PERSONS.erik)
  lina = await t.signIn(PERSONS.lina)
  erikId = await t.personId(PERSONS.erik)
  links = createServer((request, response) => {
    if (request.url === '/erik.ics') {
      response.writeHead(200, { 'content-type': 'text/calendar' })
      return response.end(ICS)
    }
    response.writeHead(404)
    response.end()
  })
  await new Promise<void>((resolve) => links.listen(0, '127.0.0.1', resolve))
  linkBase = `http://127.0.0.1:${(links.address() as AddressInfo).port}`
})
after(async () => {
  links.close()
  await t.close()
})

/** The sharing form as a browser sends it: multipart, with the file (if any) and the fields. */
function multipart(fields: Record<string, string>, file?: { name: string; content: string | Buffer }) {
  const boundary = 'samlakalender'
  const parts: Buffer[] = Object.entries(fields).map(([k, v]) =>
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`),
  )
  if (file)
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="calendar"; filename="${file.name}"\r\nContent-Type: text/calendar\r\n\r\n`,
      ),
      Buffer.from(file.content),
      Buffer.from('\r\n'),
    )
  parts.push(Buffer.from(`--${boundary}--\r\n`))
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` }
}

async function share(
  who: string,
  fields: Record<string, string>,
  file?: { name: string; content: string | Buffer },
) {
  const page = await t.app.inject({ url: '/mina-sidor/kalender', headers: { cookie: who } })
  const { csrf, cookie } = formSecrets(page, who)
  const body = multipart({ _csrf: csrf, ...fields }, file)
  return t.app.inject({
    method: 'POST',
    url: '/mina-sidor/kalender',
    headers: { cookie, 'content-type': body.contentType },
    payload: body.payload,
  })
}

describe('sharing a calendar for scheduling', () => {
  let consentId: string

  it('keeps only when Erik is busy, and shows him exactly that', async () => {
    const shared = await share(
      erik,
      { agencyId: 'skatteverket', link: '' },
      { name: 'erik.ics', content: ICS },
    )
    assert.equal(shared.statusCode, 303)
    consentId = new URL(String(shared.headers.location), 'http://x').searchParams.get('shared') as string
    const page = await t.app.inject({ url: String(shared.headers.location), headers: { cookie: erik } })
    assert.match(
      page.body,
      /Kalendern är delad med Skatteverket. Vi sparade 17 tider när du är upptagen, till och med 24 mars 2027/,
    )
    assert.match(page.body, /tis 1 dec. 2026 09:00–10:00/)
    assert.doesNotMatch(page.body, /Tandläkaren|Folktandvården|Simning/)

    const api = (await t.app.inject({ url: '/api/v1/me/calendars', headers: { cookie: erik } })).json()
    assert.deepEqual(
      api.calendars.map((c: { consentId: string; periods: number }) => [c.consentId, c.periods]),
      [[consentId, 17]],
    )
    const consents = (await t.app.inject({ url: '/api/v1/me/consents', headers: { cookie: erik } })).json()
    const consent = consents.consents.find((c: { id: string }) => c.id === consentId)
    assert.equal(consent.purpose, 'scheduling')
    assert.deepEqual(consent.categories, ['calendar'])
    assert.equal(consent.validThrough, '2027-11-25')
  })

  it('gives the agency free days only while the sharing is in force, and records each read', async () => {
    const free = await t.container.consent.findFreeDays({
      personId: erikId,
      agencyId: 'skatteverket',
      from: '2026-12-01',
      to: '2026-12-02',
    })
    assert.deepEqual(free, { kind: 'free-days', days: ['2026-12-02'], knownThrough: '2027-03-24' })
    const records = (
      await t.app.inject({ url: '/api/v1/me/access-records?purpose=scheduling', headers: { cookie: erik } })
    ).json()
    assert.equal(records.records[0].consentId, consentId)
  })

  it('keeps Lina away from Erik’s calendar: 404', async () => {
    assert.equal(
      (
        await t.app.inject({
          url: `/api/v1/me/calendars/${consentId}/busy-periods`,
          headers: { cookie: lina },
        })
      ).statusCode,
      404,
    )
    const page = await t.app.inject({ url: '/mina-sidor/kalender', headers: { cookie: lina } })
    assert.doesNotMatch(page.body, /Delas med Skatteverket/)
    const { csrf, cookie } = formSecrets(page, lina)
    const withdraw = await t.app.inject({
      method: 'POST',
      url: `/mina-sidor/samtycken/${consentId}/aterkalla`,
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: csrf, returnTo: '/mina-sidor/kalender' }).toString(),
    })
    assert.equal(withdraw.statusCode, 404)
    const periods = await t.app.inject({
      url: `/api/v1/me/calendars/${consentId}/busy-periods`,
      headers: { cookie: erik },
    })
    assert.equal(periods.json().periods.length, 17, 'still there')
  })

  it('answers a file that cannot be read with what to do', async () => {
    const broken = await share(
      erik,
      { agencyId: 'skatteverket' },
      { name: 'trasig.ics', content: 'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:2026' },
    )
    assert.equal(broken.statusCode, 422)
    assert.match(broken.body, /Filen är trasig eller ofullständig/)
    const notCalendar = await share(
      erik,
      { agencyId: 'skatteverket' },
      { name: 'bild.ics', content: 'GIF89a' },
    )
    assert.equal(notCalendar.statusCode, 422)
    assert.match(notCalendar.body, /Det är inte en kalender i formatet iCalendar/)
    const enormous = await share(
      erik,
      { agencyId: 'skatteverket' },
      { name: 'stor.ics', content: Buffer.alloc(1024 * 1024 + 10, 'A') },
    )
    assert.equal(enormous.statusCode, 413)
    assert.match(enormous.body, /Filen är för stor/)
    const both = await share(
      erik,
      { agencyId: 'skatteverket', link: 'https://example.com/a.ics' },
      { name: 'a.ics', content: ICS },
    )
    assert.equal(both.statusCode, 422)
    assert.match(both.body, /Välj en kalenderfil eller skriv en länk, men inte båda/)
    const noAgency = await share(erik, { agencyId: '' }, { name: 'a.ics', content: ICS })
    assert.equal(noAgency.statusCode, 422)
    assert.match(noAgency.body, /Välj vem du vill dela kalendern med/)
    const plainHttp = await share(erik, { agencyId: 'skatteverket', link: 'http://example.com/kalender.ics' })
    assert.equal(plainHttp.statusCode, 422)
    assert.match(plainHttp.body, /Adressen måste börja med https:\/\//)
    const calendars = (await t.app.inject({ url: '/api/v1/me/calendars', headers: { cookie: erik } })).json()
    assert.equal(calendars.calendars.length, 1, 'nothing half-saved')
  })

  it('bounds a recurrence that repeats too often, and refuses an enormous body before reading it', async () => {
    const everyMinute = ICS.replace('RRULE:FREQ=WEEKLY;BYDAY=TH', 'RRULE:FREQ=MINUTELY')
    const started = performance.now()
    const dense = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/calendars',
      headers: { cookie: erik },
      payload: { agencyId: 'skatteverket', icalendar: everyMinute },
    })
    assert.equal(dense.statusCode, 422)
    assert.equal(dense.json().error.code, 'CALENDAR_TOO_COMPLEX')
    assert.match(dense.json().error.message, /fler än 5 000 tider/)
    assert.ok(performance.now() - started < 5_000)
    const huge = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/calendars',
      headers: { cookie: erik, 'content-type': 'application/json' },
      payload: JSON.stringify({ agencyId: 'skatteverket', icalendar: 'A'.repeat(1200 * 1024) }),
    })
    assert.equal(huge.statusCode, 413)
    assert.equal(huge.json().error.code, 'CALENDAR_TOO_LARGE')
  })

  it('reads a calendar from a link, which replaces the one shared before', async () => {
    const linked = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/calendars',
      headers: { cookie: erik },
      payload: { agencyId: 'skatteverket', link: `${linkBase}/erik.ics`, validThrough: '2027-06-30' },
    })
    assert.equal(linked.statusCode, 201)
    assert.equal(linked.json().periods, 17)
    assert.equal(linked.json().openEndedRecurrences, 1)
    assert.equal(linked.json().consent.validThrough, '2027-06-30')
    const missing = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/calendars',
      headers: { cookie: erik },
      payload: { agencyId: 'skatteverket', link: `${linkBase}/finns-inte.ics` },
    })
    assert.equal(missing.statusCode, 422)
    assert.equal(missing.json().error.code, 'CALENDAR_LINK_FAILED')
    const calendars = (await t.app.inject({ url: '/api/v1/me/calendars', headers: { cookie: erik } })).json()
    assert.equal(calendars.calendars.length, 1)
    assert.equal(calendars.calendars[0].source, 'link')
    assert.equal(calendars.calendars[0].linkHost, new URL(linkBase).host)
    consentId = calendars.calendars[0].consentId
  })

  it('deletes the busy periods when Erik stops sharing, and the agency reads nothing more', async () => {
    const page = await t.app.inject({ url: '/mina-sidor/kalender', headers: { cookie: erik } })
    const { csrf, cookie } = formSecrets(page, erik)
    const stopped = await t.app.inject({
      method: 'POST',
      url: `/mina-sidor/samtycken/${consentId}/aterkalla`,
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: csrf, returnTo: '/mina-sidor/kalender' }).toString(),
    })
    assert.equal(stopped.statusCode, 303)
    assert.match(String(stopped.headers.location), /^\/mina-sidor\/kalender\?withdrawn=/)
    const after = await t.app.inject({ url: String(stopped.headers.location), headers: { cookie: erik } })
    assert.match(after.body, /Du delar inte längre kalendern. Vi har raderat tiderna./)
    assert.deepEqual(
      (await t.app.inject({ url: '/api/v1/me/calendars', headers: { cookie: erik } })).json().calendars,
      [],
    )
    assert.deepEqual(
      await t.container.consent.findFreeDays({
        personId: erikId,
        agencyId: 'skatteverket',
        from: '2026-12-01',
        to: '2026-12-02',
      }),
      { kind: 'not-shared' },
    )
  })
})
