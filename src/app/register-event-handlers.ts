// What Samla does when a register event is stored (the job register-event.recorded, written by
// the people module in the event's own transaction). Several modules hear of the same event, each
// idempotent, so a job that runs again after one of them failed changes nothing the others did.
import type { RegisterEventRecorded } from '../modules/people/index.ts'
import { type Job, JobFailedForGood, type JobHandler } from '../platform/jobs/worker.ts'
import type { Container } from './container.ts'

/** One job, several who hear of it: each runs in turn, and the job fails when one of them fails. */
export function allOf<P>(...handlers: Array<JobHandler<P>>): JobHandler<P> {
  return {
    maxAttempts: Math.max(...handlers.map((h) => h.maxAttempts ?? 5)),
    async run(job, signal) {
      for (const handler of handlers) await handler.run(job, signal)
    },
  }
}

/**
 * Life events that start by themselves, and barnbidrag without application. A registered pregnancy
 * or birth starts or moves on "Vi ska få barn" for the guardians, a move starts "Flytta"; at a birth
 * Försäkringskassan's rules decide barnbidrag for each guardian, and the plan shows the grant.
 */
export function followRegisterEvents(c: Container): JobHandler<RegisterEventRecorded> {
  return {
    async run(job: Job<RegisterEventRecorded>) {
      const event = await c.people.findRegisterEvent(String(job.payload.eventId))
      if (!event) throw new JobFailedForGood(`register event ${job.payload.eventId} is not stored`)
      await c.journeys.followRegisterEvent(event)
      if (event.kind !== 'birth') return
      const grants = await c.cases.grantChildAllowance({
        registerEventId: event.id,
        childPersonId: event.personId,
        birthDate: event.occurredOn,
      })
      const decidedOn = c.clock.today().toString()
      for (const grant of grants)
        await c.journeys.recordBenefitGranted({
          personId: grant.personId,
          serviceId: 'barnbidrag',
          caseId: grant.caseId,
          perMonth: grant.perMonth,
          firstDate: grant.firstDate,
          decidedOn,
          registerEventId: event.id,
        })
    },
  }
}
