// Consent at the level of use cases, on both engines: Greta lets Nacka kommun fetch her income and
// pension for the elderly-care fee; the municipality's system reads through the one door only while
// the consent is in force, and the record of the read names the consent. Erik shares his calendar
// with Skatteverket; only busy periods are kept, and withdrawing deletes them.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { buildTestContainer } from '../../../test/helpers/container.ts'
import { ENGINES } from '../../../test/helpers/databases.ts'
import type { Container } from '../../app/container.ts'
import type { Actor } from '../people/index.ts'

const PNR = { greta: '194206112387', erik: '198111042381', maria: '196812032396' }
const nacka: Actor = { kind: 'agency-system', agencyId: 'nacka-kommun' }
const skatteverket: Actor = { kind: 'agency-system', agencyId: 'skatteverket' }

const calendar = (...events: string[]) =>
  new TextEncoder().encode(
    ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Test//Samla//SV', ...events, 'END:VCALENDAR', ''].join(
      '\r\n',
    ),
  )
const event = (uid: string, start: string, end: string, ...more: string[]) =>
  [
    'BEGIN:VEVENT',
    `UID:${uid}`,
    'DTSTAMP:20261101T000000Z',
    `DTSTART;TZID=Europe/Stockholm:${start}`,
    `DTEND;TZID=Europe/Stockholm:${end}`,
    ...more,
    'END:VEVENT',
  ].join('\r\n')

for (const engine of ENGINES) {
  describe(`consent on ${engine}`, () => {
    let c: Container
    let drop: () => Promise<void>
    const id: Record<string, string> = {}
    before(async () => {
      ;({ container: c, drop } = await buildTestContainer(engine))
      for (const [name, pnr] of Object.entries(PNR))
        id[name] = (await c.people.identifyPerson(pnr, 'test')) as string
    })
    after(() => drop())

    const readIncome = (actor: Actor = nacka) =>
      c.people.readPerson({ actor, purpose: 'fee-calculation', personId: id.greta as string })
    const records = async (personId: string) => {
      const list = await c.people.listAccessRecords(personId, { pageSize: 100 })
      assert.equal(list.kind, 'records')
      return list.kind === 'records' ? list.records : []
    }

    it('shows Greta exactly what Nacka kommun would see, before she decides', async () => {
      const preview = await c.consent.previewShare({
        personId: id.greta as string,
        recipientAgencyId: 'nacka-kommun',
        purpose: 'fee-calculation',
      })
      assert.equal(preview.kind, 'preview')
      if (preview.kind !== 'preview') return
      assert.deepEqual(preview.categories, ['income', 'pension'])
      assert.deepEqual(preview.data.income, { year: 2025, earnedIncomeSek: 183700, source: 'Skatteverket' })
      assert.equal(preview.data.pensions?.length, 2)
      assert.equal(preview.validThrough, '2027-11-25')
      assert.equal(await readIncome(), undefined, 'seeing the preview gives the municipality nothing')
    })

    it('lets the municipality’s system read only while her consent is in force, and records the consent', async () => {
      assert.equal(await readIncome(), undefined, 'no consent yet')
      const granted = await c.consent.grantConsent({
        personId: id.greta as string,
        givenBy: id.greta as string,
        recipientAgencyId: 'nacka-kommun',
        purpose: 'fee-calculation',
        reference: 'case-1',
      })
      assert.equal(granted.kind, 'granted')
      if (granted.kind !== 'granted') return
      const again = await c.consent.grantConsent({
        personId: id.greta as string,
        givenBy: id.greta as string,
        recipientAgencyId: 'nacka-kommun',
        purpose: 'fee-calculation',
        reference: 'case-1',
      })
      assert.ok(again.kind === 'granted' && again.replayed && again.consent.id === granted.consent.id)

      const read = await readIncome()
      assert.equal(read?.income?.earnedIncomeSek, 183700)
      assert.equal(read?.pensions?.[0]?.payer, 'Pensionsmyndigheten')
      assert.equal(read?.identity, undefined, 'only the categories consented to')
      const record = (await records(id.greta as string)).find((r) => r.purpose === 'fee-calculation')
      assert.equal(record?.consentId, granted.consent.id)
      assert.equal(record?.legalBasis, 'consent')
      assert.equal(record?.agencyId, 'nacka-kommun')
      assert.deepEqual(record?.categories, ['income', 'pension'])

      assert.equal(await readIncome(skatteverket), undefined, 'another agency')
      assert.equal(
        await c.people.readPerson({ actor: nacka, purpose: 'scheduling', personId: id.greta as string }),
        undefined,
        'another purpose',
      )
      assert.equal(
        await c.people.readPerson({ actor: nacka, purpose: 'fee-calculation', personId: id.erik as string }),
        undefined,
        'another person',
      )
      assert.equal(
        await c.people.readPerson({
          actor: { kind: 'person', personId: id.greta as string },
          purpose: 'fee-calculation',
          personId: id.greta as string,
        }),
        undefined,
        'a purpose resting on consent is for the recipient',
      )

      const withdrawn = await c.consent.withdrawConsent({
        personId: id.greta as string,
        consentId: granted.consent.id,
        withdrawnBy: id.greta as string,
      })
      assert.equal(withdrawn.kind === 'withdrawn' && withdrawn.consent.status, 'withdrawn')
      assert.equal(await readIncome(), undefined, 'the very next read fails')
      const listed = await c.consent.listConsents(id.greta as string)
      assert.equal(listed.find((x) => x.id === granted.consent.id)?.status, 'withdrawn')
    })

    it('keeps one person from withdrawing or seeing another’s consent', async () => {
      const granted = await c.consent.grantConsent({
        personId: id.greta as string,
        givenBy: id.greta as string,
        recipientAgencyId: 'nacka-kommun',
        purpose: 'fee-calculation',
      })
      assert.equal(granted.kind, 'granted')
      if (granted.kind !== 'granted') return
      assert.deepEqual(
        await c.consent.withdrawConsent({
          personId: id.erik as string,
          consentId: granted.consent.id,
          withdrawnBy: id.erik as string,
        }),
        { kind: 'not-found' },
      )
      assert.ok(!(await c.consent.listConsents(id.erik as string)).some((x) => x.id === granted.consent.id))
      assert.ok(await readIncome(), 'still in force')
      await c.consent.withdrawConsent({
        personId: id.greta as string,
        consentId: granted.consent.id,
        withdrawnBy: id.greta as string,
      })
    })

    it('refuses a recipient the purpose does not allow, an unknown one, and a period out of bounds', async () => {
      const give = (recipientAgencyId: string, validThrough?: string) =>
        c.consent.grantConsent({
          personId: id.greta as string,
          givenBy: id.greta as string,
          recipientAgencyId,
          purpose: 'fee-calculation',
          ...(validThrough ? { validThrough } : {}),
        })
      assert.deepEqual(await give('forsakringskassan'), { kind: 'recipient-not-allowed' })
      assert.deepEqual(await give('ingen-sadan'), { kind: 'unknown-recipient' })
      assert.deepEqual(await give('nacka-kommun', '2026-11-24'), { kind: 'invalid-period' })
      assert.deepEqual(await give('nacka-kommun', '2029-01-01'), { kind: 'invalid-period' })
      assert.deepEqual(await give('nacka-kommun', '2027-02-30'), { kind: 'invalid-period' })
    })

    it('keeps only busy periods of a shared calendar, finds free days from them, and deletes them on withdrawal', async () => {
      const erik = id.erik as string
      const shared = await c.consent.shareCalendar({
        personId: erik,
        givenBy: erik,
        agencyId: 'skatteverket',
        source: {
          kind: 'file',
          content: calendar(
            event(
              'tandlakare',
              '20261201T090000',
              '20261201T100000',
              'SUMMARY:Tandläkaren',
              'LOCATION:Nacka',
            ),
            event('jobb', '20261202T080000', '20261202T170000', 'SUMMARY:Konferens'),
            event('simning', '20261203T180000', '20261203T190000', 'RRULE:FREQ=WEEKLY;BYDAY=TH'),
          ),
        },
      })
      assert.equal(shared.kind, 'shared')
      if (shared.kind !== 'shared') return
      assert.equal(shared.openEndedRecurrences, 1)
      assert.equal(shared.knownThrough, '2027-03-24')
      // Two single events and the Thursdays from 3 December 2026 to 18 March 2027.
      assert.equal(shared.periods, 2 + 16)
      const kept = await c.consent.busyPeriodsOf(erik, shared.consent.id)
      assert.deepEqual(kept?.[0], { start: '2026-12-01T08:00:00.000Z', end: '2026-12-01T09:00:00.000Z' })
      assert.doesNotMatch(JSON.stringify(kept), /Tandläkaren|Nacka|Konferens/)

      const free = await c.consent.findFreeDays({
        personId: erik,
        agencyId: 'skatteverket',
        from: '2026-12-01',
        to: '2026-12-04',
      })
      assert.deepEqual(free, {
        kind: 'free-days',
        days: ['2026-12-03', '2026-12-04'],
        knownThrough: '2027-03-24',
      })
      const scheduling = (await records(erik)).find((r) => r.purpose === 'scheduling')
      assert.equal(scheduling?.consentId, shared.consent.id)
      assert.equal(scheduling?.agencyId, 'skatteverket')
      assert.deepEqual(scheduling?.categories, ['calendar'])
      assert.deepEqual(
        await c.consent.findFreeDays({
          personId: erik,
          agencyId: 'nacka-kommun',
          from: '2026-12-01',
          to: '2026-12-04',
        }),
        { kind: 'not-shared' },
        'only the agency it is shared with',
      )

      await c.consent.withdrawConsent({ personId: erik, consentId: shared.consent.id, withdrawnBy: erik })
      assert.deepEqual(
        await c.consent.findFreeDays({
          personId: erik,
          agencyId: 'skatteverket',
          from: '2026-12-01',
          to: '2026-12-04',
        }),
        { kind: 'not-shared' },
      )
      assert.equal(await c.consent.busyPeriodsOf(erik, shared.consent.id), undefined)
      assert.deepEqual(await c.consent.listSharedCalendars(erik), [])
    })

    it('replaces a calendar shared again with the same agency, and refuses what cannot be read', async () => {
      const erik = id.erik as string
      const share = (content: Uint8Array) =>
        c.consent.shareCalendar({
          personId: erik,
          givenBy: erik,
          agencyId: 'skatteverket',
          source: { kind: 'file', content },
        })
      const first = await share(calendar(event('a', '20261210T090000', '20261210T100000')))
      const second = await share(calendar(event('b', '20261211T090000', '20261211T100000')))
      assert.ok(first.kind === 'shared' && second.kind === 'shared')
      const calendars = await c.consent.listSharedCalendars(erik)
      assert.equal(calendars.length, 1)
      assert.equal(calendars[0]?.consentId, second.kind === 'shared' ? second.consent.id : '')
      const consents = await c.consent.listConsents(erik)
      assert.equal(
        consents.find((x) => first.kind === 'shared' && x.id === first.consent.id)?.status,
        'withdrawn',
      )

      assert.deepEqual(await share(new TextEncoder().encode('<html>Logga in</html>')), {
        kind: 'invalid-calendar',
        problem: 'not-icalendar',
      })
      assert.deepEqual(
        await c.consent.shareCalendar({
          personId: erik,
          givenBy: erik,
          agencyId: 'skatteverket',
          source: { kind: 'link', url: 'http://example.com/kalender.ics' },
        }),
        { kind: 'link-failed', problem: 'not-https' },
      )
      assert.equal((await c.consent.listSharedCalendars(erik)).length, 1, 'nothing half-saved')
    })
  })
}
