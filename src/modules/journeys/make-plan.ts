// A personal plan: a life event's steps, resolved for one person (or for no one in particular) on
// one day. Pure: every fact it needs is passed in, so the same inputs always give the same plan.

import type { Temporal } from '../../platform/clock.ts'
import type { Agency, AgencyLevel, DueRule, LifeEvent, Responsible, Step, Text } from '../catalog/index.ts'
import { nextTaxReturnYear, taxReturnDeadline, taxReturnOpens } from './tax-calendar.ts'

export type ConditionName = NonNullable<Step['when']>[number]

export interface PlanContext {
  today: Temporal.PlainDate
  /** The life event's own date (expected birth, move, …), when known. */
  anchorDate?: Temporal.PlainDate
  anchorSource?: 'register' | 'entered' | 'today'
  /** For a date from a register: which fact it came from (pregnancy, planned-move, …). */
  anchorCircumstance?: string
  /** Where the person lives, where they move to, where the relative they help lives. */
  municipalityId?: string
  destinationMunicipalityId?: string
  relativeMunicipalityId?: string
  /** What is known about the conditions; a missing one is unknown and the step is shown as "if …". */
  facts: Partial<Record<ConditionName, boolean>>
  agencies: Map<string, Agency>
  /** A change the person reported once in Samla (a move), and how far it has reached each agency. */
  tellUsOnce?: TellUsOnce
  /** The service the report in Samla stands for (the notice of move): its step is done once delivered. */
  tellUsOnceService?: string
  /** Steps a register event has changed for the person (the birth registered), by step id. */
  changes?: Record<string, StepChange>
}

/** Why a step changed by itself: a message key and its values, and the day. */
export interface StepChange {
  status: 'done' | 'granted'
  reason: string
  params: Record<string, string | number>
  on: string
}

/** A reported change and its delivery to each agency that needs it (tell us once). */
export interface TellUsOnce {
  date: string
  reportedAt: string
  source: 'samla' | 'register'
  deliveries: Delivery[]
}

export interface Delivery {
  agencyId: string
  status: 'waiting' | 'pending' | 'failed' | 'delivered' | 'dead'
  attempts: number
  receiptId?: string
  deliveredAt?: string
  lastError?: string
}

export interface PlanStep {
  id: string
  title: Text
  action: Text
  automatic: boolean
  status: 'automatic' | 'to-do' | 'overdue' | 'done'
  /** When a register event has done the step (or decided it): why and when. */
  change?: StepChange
  responsible: { agency?: Agency; level?: AgencyLevel; role?: Responsible }
  /** What the responsible agency was told, when the person reported the change in Samla. */
  delivery?: Delivery
  due?: {
    date: string
    daysLeft: number
    explanation: Text
    legalReference?: string
    status: DueRule['status']
  }
  service?: { id: string; isTemplate: boolean }
  after: string[]
  /** Conditions this step depends on that are not known for the person. */
  unknownConditions: ConditionName[]
}

export interface Plan {
  lifeEventId: string
  title: Text
  summary: Text
  today: string
  anchor: {
    key: string
    label: Text
    hint: Text
    date?: string
    source?: PlanContext['anchorSource']
    circumstance?: string
  }
  steps: PlanStep[]
  /** How many steps were left out because a condition does not hold for the person. */
  omittedSteps: number
  tellUsOnce?: TellUsOnce
}

const ROLE_LEVEL: Record<string, AgencyLevel> = {
  $municipality: 'municipality',
  '$origin-municipality': 'municipality',
  '$destination-municipality': 'municipality',
  '$relative-municipality': 'municipality',
  $region: 'region',
  '$destination-region': 'region',
  '$relative-region': 'region',
}

function resolveResponsible(role: Responsible, ctx: PlanContext): PlanStep['responsible'] {
  if (!role.startsWith('$')) {
    const agency = ctx.agencies.get(role)
    return agency ? { agency, level: agency.level } : { role }
  }
  const municipalityFor: Record<string, string | undefined> = {
    $municipality: ctx.municipalityId,
    '$origin-municipality': ctx.municipalityId,
    $region: ctx.municipalityId,
    '$destination-municipality': ctx.destinationMunicipalityId,
    '$destination-region': ctx.destinationMunicipalityId,
    '$relative-municipality': ctx.relativeMunicipalityId,
    '$relative-region': ctx.relativeMunicipalityId,
  }
  const level = ROLE_LEVEL[role]
  const municipality = ctx.agencies.get(municipalityFor[role] ?? '')
  const agency = level === 'region' ? ctx.agencies.get(municipality?.region ?? '') : municipality
  return agency ? { agency, level, role } : { level, role }
}

function anchorDate(name: string, ctx: PlanContext): Temporal.PlainDate | undefined {
  switch (name) {
    case 'today':
      return ctx.today
    case 'nextTaxReturnOpens':
      return taxReturnOpens(nextTaxReturnYear(ctx.today)).date
    case 'nextTaxReturnDeadline':
      return taxReturnDeadline(nextTaxReturnYear(ctx.today))
    default:
      return ctx.anchorDate
  }
}

export function dueDate(rule: DueRule, ctx: PlanContext): Temporal.PlainDate | undefined {
  const start = anchorDate(rule.anchor, ctx)
  if (!start) return undefined
  let date = rule.add && Object.keys(rule.add).length > 0 ? start.add(rule.add) : start
  if (rule.nextWeekday && date.dayOfWeek >= 6) date = date.add({ days: 8 - date.dayOfWeek })
  return date
}

/**
 * Orders steps so that each comes after the steps it depends on and, among the steps that may
 * come next, the earliest deadline first; steps without a deadline keep the catalogue's order.
 */
function order(steps: PlanStep[]): PlanStep[] {
  const remaining = [...steps]
  const done = new Set<string>()
  const present = new Set(steps.map((s) => s.id))
  const ordered: PlanStep[] = []
  while (remaining.length > 0) {
    const ready = remaining.filter((s) => s.after.every((a) => done.has(a) || !present.has(a)))
    const pool = ready.length > 0 ? ready : remaining
    const next = pool.reduce((best, s) => {
      if (!best.due) return s.due ? s : best
      if (!s.due) return best
      return s.due.date < best.due.date ? s : best
    })
    ordered.push(next)
    done.add(next.id)
    remaining.splice(remaining.indexOf(next), 1)
  }
  return ordered
}

export function makePlan(event: LifeEvent, ctx: PlanContext): Plan {
  let omitted = 0
  const steps: PlanStep[] = []
  for (const step of event.steps) {
    const conditions = step.when ?? []
    if (conditions.some((c) => ctx.facts[c] === false)) {
      omitted++
      continue
    }
    const date = step.due ? dueDate(step.due, ctx) : undefined
    const daysLeft = date ? ctx.today.until(date, { largestUnit: 'days' }).days : undefined
    const planStep: PlanStep = {
      id: step.id,
      title: step.title,
      action: step.action,
      automatic: step.automatic,
      status: step.automatic ? 'automatic' : daysLeft !== undefined && daysLeft < 0 ? 'overdue' : 'to-do',
      responsible: resolveResponsible(step.responsible, ctx),
      after: step.after ?? [],
      unknownConditions: conditions.filter((c) => ctx.facts[c] === undefined),
    }
    // A step that happens by itself, or the report the person made in Samla, shows what the agency
    // was told: delivered with its receipt, pending, or failed with the reason.
    const delivery = ctx.tellUsOnce?.deliveries.find((d) => d.agencyId === planStep.responsible.agency?.id)
    if (delivery && (step.automatic || step.service === ctx.tellUsOnceService)) {
      planStep.delivery = delivery
      if (!step.automatic && delivery.status === 'delivered') planStep.status = 'done'
    }
    const change = ctx.changes?.[step.id]
    if (change) {
      planStep.status = 'done'
      planStep.change = change
    }
    if (step.service) planStep.service = { id: step.service, isTemplate: false }
    if (step.template) planStep.service = { id: step.template, isTemplate: true }
    if (step.due && date && daysLeft !== undefined) {
      planStep.due = {
        date: date.toString(),
        daysLeft,
        explanation: step.due.explanation,
        status: step.due.status,
        ...(step.due.legalReference ? { legalReference: step.due.legalReference } : {}),
      }
    }
    steps.push(planStep)
  }
  return {
    lifeEventId: event.id,
    title: event.title,
    summary: event.summary,
    today: ctx.today.toString(),
    anchor: {
      key: event.anchor.key,
      label: event.anchor.label,
      hint: event.anchor.hint,
      ...(ctx.anchorDate ? { date: ctx.anchorDate.toString(), source: ctx.anchorSource ?? 'entered' } : {}),
      ...(ctx.anchorDate && ctx.anchorCircumstance ? { circumstance: ctx.anchorCircumstance } : {}),
    },
    // What is left comes first, in order (a step after a done one moves up); the steps a register
    // event has done follow.
    steps: [
      ...order(steps.filter((s) => !s.change)),
      ...steps.filter((s) => s.change).sort((a, b) => (a.change?.on ?? '').localeCompare(b.change?.on ?? '')),
    ],
    omittedSteps: omitted,
    ...(ctx.tellUsOnce ? { tellUsOnce: ctx.tellUsOnce } : {}),
  }
}
