// Reminders at a good moment, on both engines: the tax return opens, Samla plans a reminder for
// everyone with an income, on a free day of the calendar Erik shares with Skatteverket or else by
// the default rule; once, however often the day is planned; at the moment it goes out through
// notify, unless it was moved or dismissed; and a withdrawn calendar is not read again.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { buildTestContainer } from '../../../test/helpers/container.ts'
import { ENGINES } from '../../../test/helpers/databases.ts'
import type { Container } from '../../app/container.ts'
import { createJobWorker } from '../../app/jobs.ts'
import { ownData } from '../../platform/access-scope.ts'
import { createManualClock } from '../../platform/clock.ts'

const ERIK = '198111042381'
const LINA = '198406122393'
// Tuesday 17 March 2026, 07:00 Swedish time: the tax return opens.
const OPENING = '2026-03-17T06:00:00Z'

/** Erik's calendar: busy every evening from Wednesday 18 to Friday 20 March. */
const BUSY_EVENINGS = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//Test//Samla//SV',
  ...['18', '19', '20'].flatMap((d) => [
    'BEGIN:VEVENT',
    `UID:kvall-${d}@example.se`,
    'DTSTAMP:20260301T000000Z',
    `DTSTART;TZID=Europe/Stockholm:202603${d}T170000`,
    `DTEND;TZID=Europe/Stockholm:202603${d}T210000`,
    'SUMMARY:Träning',
    'END:VEVENT',
  ]),
  'END:VCALENDAR',
  '',
].join('\r\n')

for (const engine of ENGINES) {
  describe(`reminders at a good moment on ${engine}`, () => {
    let c: Container
    let drop: () => Promise<void>
    let erik: string
    let lina: string
    const clock = createManualClock(OPENING)
    const reminderOf = async (personId: string) => (await c.proactive.offers.listOffers(personId))[0]
    /** How often an agency has read the person's data for scheduling: each a read of the calendar. */
    const schedulingReads = async (personId: string) =>
      (await ownData(personId, () => c.people.allAccessRecords(personId))).filter(
        (r) => r.purpose === 'scheduling',
      ).length

    before(async () => {
      ;({ container: c, drop } = await buildTestContainer(engine, { clock }))
      erik = (await c.people.identifyPerson(ERIK, 'test')) as string
      lina = (await c.people.identifyPerson(LINA, 'test')) as string
      const saved = await c.notify.savePreferences(erik, {
        channels: ['email'],
        language: 'sv',
        email: 'erik@example.se',
        quietHours: { from: '21:00', until: '07:00' },
        preferredHours: { from: '18:00', until: '20:00' },
      })
      assert.equal(saved.kind, 'valid')
      const shared = await c.consent.shareCalendar({
        personId: erik,
        givenBy: erik,
        agencyId: 'skatteverket',
        source: { kind: 'file', content: new TextEncoder().encode(BUSY_EVENINGS) },
      })
      assert.equal(shared.kind, 'shared')
    })
    after(() => drop())

    it('plans a reminder for everyone with an income when the tax return opens, each once', async () => {
      await c.proactive.enqueueDateScan('2026-03-17', 2)
      // The scan of each partition, then the planning of its reminders.
      assert.equal(await createJobWorker(c).drain(), 4)
      const erikReminder = await reminderOf(erik)
      assert.equal(erikReminder?.source, 'tax-return-opens')
      assert.equal(erikReminder?.deadline, '2026-05-04')
      assert.deepEqual(erikReminder?.reason, {
        key: 'proactive.offers.reasons.tax-return-opens',
        params: { date: '2026-03-17', incomeYear: '2025', deadline: '2026-05-04' },
      })
      const again = await c.proactive.offers.planOffers({ date: '2026-03-17', partition: 0, partitions: 1 })
      assert.equal(again, 0)
      assert.equal((await c.proactive.offers.listOffers(erik)).length, 1)
    })

    it('times Erik’s on the first free weekday of his shared calendar, at the start of his preferred hours', async () => {
      const r = await reminderOf(erik)
      // Busy Wednesday to Friday evening, no weekend: Monday 23 March, 18:00 Swedish time.
      assert.equal(r?.scheduledFor, '2026-03-23T17:00:00.000Z')
      assert.equal(r?.plannedBy, 'calendar')
    })

    it('times Lina’s, who shares no calendar and chose no hours, on the next weekday at nine', async () => {
      const r = await reminderOf(lina)
      assert.equal(r?.scheduledFor, '2026-03-18T08:00:00.000Z')
      assert.equal(r?.plannedBy, 'default')
    })

    it('lets Erik move his reminder only to a day from today that is before the deadline', async () => {
      const id = (await reminderOf(erik))?.id as string
      const move = (day: string) => c.proactive.offers.moveOffer({ personId: erik, offerId: id, day })
      assert.deepEqual(await move('2026-03-16'), { kind: 'in-the-past' })
      assert.deepEqual(await move('2026-05-04'), { kind: 'not-before-deadline' })
      assert.deepEqual(await move('den 24 mars'), { kind: 'invalid-day' })
      assert.deepEqual(await move('2026-02-30'), { kind: 'invalid-day' })
      assert.deepEqual(
        await c.proactive.offers.moveOffer({ personId: lina, offerId: id, day: '2026-03-24' }),
        {
          kind: 'not-found',
        },
      )
      assert.deepEqual(await move('2026-03-24'), { kind: 'moved', scheduledFor: '2026-03-24T17:00:00.000Z' })
      assert.equal((await reminderOf(erik))?.plannedBy, 'person')
    })

    it('re-plans, without the calendar, what was planned from it when Erik stops sharing', async () => {
      // Plan Erik's from the calendar again, then withdraw the sharing.
      const [calendar] = await c.consent.listSharedCalendars(erik)
      const r = await reminderOf(erik)
      await ownData(erik, () =>
        c.database.db
          .updateTable('proactive.offers')
          .set({ planned_by: 'calendar', scheduled_for: new Date('2026-03-23T17:00:00Z') })
          .where('id', '=', r?.id as string)
          .execute(),
      )
      const withdrawn = await c.consent.withdrawConsent({
        personId: erik,
        consentId: calendar?.consentId as string,
        withdrawnBy: erik,
      })
      assert.equal(withdrawn.kind, 'withdrawn')
      const readsBefore = await schedulingReads(erik)
      assert.ok(readsBefore > 0, 'the first planning read the calendar, recorded for Erik')
      assert.equal(await createJobWorker(c).drain(), 1)
      const replanned = await reminderOf(erik)
      assert.equal(replanned?.plannedBy, 'default')
      assert.equal(replanned?.scheduledFor, '2026-03-18T17:00:00.000Z')
      // Nothing was read for scheduling: the calendar is gone, and it was not asked.
      assert.equal(await schedulingReads(erik), readsBefore)
    })

    it('sends the reminder at its moment, once, and nothing at a moment it was moved from', async () => {
      const id = (await reminderOf(erik))?.id as string
      assert.equal(
        (await c.proactive.offers.moveOffer({ personId: erik, offerId: id, day: '2026-03-25' })).kind,
        'moved',
      )
      clock.set('2026-03-18T18:00:00Z')
      await createJobWorker(c).drain()
      assert.equal(
        (await reminderOf(erik))?.status,
        'scheduled',
        'the moment it was moved from sends nothing',
      )
      assert.equal(
        (await reminderOf(lina))?.status,
        'sent',
        'Lina chose no channel: sent to her list in Samla only',
      )
      clock.set('2026-03-25T17:00:00Z')
      await createJobWorker(c).drain()
      const sent = await reminderOf(erik)
      assert.equal(sent?.status, 'sent')
      const deliveries = await c.notify.listDeliveries(erik)
      assert.deepEqual(
        deliveries.filter((d) => d.template === 'reminder').map((d) => [d.channel, d.status]),
        [['email', 'sent']],
      )
      assert.deepEqual(await c.proactive.offers.dismissOffer({ personId: erik, offerId: id }), {
        kind: 'not-scheduled',
      })
    })
  })
}
