// Agency connectors: how a change reaches one agency. Each agency has one, chosen by name in the
// configuration (INTEROP_CONNECTORS, such as "csn=failing-demo,goteborgs-stad=https://…"); an
// agency not named gets the demonstration connector. `demo` keeps what it receives in a table and
// answers with a receipt, `failing-demo` refuses every message so that retries can be seen locally,
// and a URL makes a webhook that POSTs the signed CloudEvent to the agency.
import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import { JobFailedForGood } from '../../platform/jobs/worker.ts'
import type { InteropTables } from './interop-tables.ts'
import type { SignedEvent } from './signed-events.ts'

export interface Receipt {
  /** The agency's reference for what it received. */
  receiptId: string
}

export interface Connector {
  /** Hands the event to the agency; resolves with its receipt, throws when it did not take it. */
  deliver(agencyId: string, event: SignedEvent, signal: AbortSignal): Promise<Receipt>
}

export type ConnectorSetting = 'demo' | 'failing-demo' | URL

/**
 * Reads INTEROP_CONNECTORS: comma-separated agency=connector pairs, the connector being demo,
 * failing-demo or an https address (plain http only to this machine). Throws a message a person
 * can act on.
 */
export function parseConnectorSettings(raw: string | undefined): Map<string, ConnectorSetting> {
  const settings = new Map<string, ConnectorSetting>()
  for (const pair of (raw ?? '').split(',').map((p) => p.trim())) {
    if (pair === '') continue
    const at = pair.indexOf('=')
    const agencyId = pair.slice(0, at).trim()
    const value = pair.slice(at + 1).trim()
    if (at < 1 || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(agencyId))
      throw new Error(
        `INTEROP_CONNECTORS: "${pair}" must be like csn=demo, csn=failing-demo or csn=https://…`,
      )
    if (value === 'demo' || value === 'failing-demo') {
      settings.set(agencyId, value)
      continue
    }
    let url: URL
    try {
      url = new URL(value)
    } catch {
      throw new Error(
        `INTEROP_CONNECTORS: ${agencyId} must be demo, failing-demo or an address, not "${value}"`,
      )
    }
    const local = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local))
      throw new Error(`INTEROP_CONNECTORS: ${agencyId} must use https, not "${value}"`)
    settings.set(agencyId, url)
  }
  return settings
}

/** The demonstration connector: keeps the event and answers with a receipt, the same one again for a retry. */
function demoConnector(db: Kysely<InteropTables>): Connector {
  return {
    async deliver(agencyId, event) {
      await db
        .insertInto('interop.demo_inbox')
        .values({
          receipt_id: randomUUID(),
          agency_id: agencyId,
          event_id: event.eventId,
          content_type: event.headers['content-type'] ?? 'application/cloudevents+json',
          body: event.body,
          signature: event.signature,
          received_at: new Date(),
        })
        .onConflict((oc) => oc.columns(['agency_id', 'event_id']).doNothing())
        .execute()
      const row = await db
        .selectFrom('interop.demo_inbox')
        .select('receipt_id')
        .where('agency_id', '=', agencyId)
        .where('event_id', '=', event.eventId)
        .executeTakeFirstOrThrow()
      return { receiptId: row.receipt_id }
    },
  }
}

const failingDemo: Connector = {
  async deliver() {
    throw new Error('the failing demonstration connector refuses every message')
  },
}

/**
 * A webhook: POSTs the signed CloudEvent to the agency's address. A 2xx answer with a JSON body
 * { "receiptId": "…" } is a receipt; a 4xx other than 408 and 429 will not change on a retry and
 * fails for good; anything else is tried again.
 */
export function webhookConnector(url: URL, timeoutMs = 10_000): Connector {
  return {
    async deliver(_agencyId, event, signal) {
      const response = await fetch(url, {
        method: 'POST',
        headers: event.headers,
        body: event.body,
        redirect: 'error',
        signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
      })
      const text = (await response.text()).slice(0, 10_000)
      if (!response.ok) {
        const message = `the agency answered ${response.status}: ${text.slice(0, 200)}`
        if (response.status >= 400 && response.status < 500 && ![408, 429].includes(response.status))
          throw new JobFailedForGood(message)
        throw new Error(message)
      }
      let receiptId: unknown
      try {
        receiptId = (JSON.parse(text) as { receiptId?: unknown }).receiptId
      } catch {
        receiptId = undefined
      }
      if (typeof receiptId !== 'string' || receiptId.length === 0 || receiptId.length > 200)
        throw new Error('the agency answered without a receipt ({ "receiptId": "…" })')
      return { receiptId }
    },
  }
}

export type ConnectorRegistry = ReturnType<typeof createConnectorRegistry>

export function createConnectorRegistry(deps: {
  db: Kysely<InteropTables>
  settings: Map<string, ConnectorSetting>
  /** Connectors given in code, before the settings (tests). */
  connectors?: Record<string, Connector>
}) {
  const demo = demoConnector(deps.db)
  return {
    connectorFor(agencyId: string): Connector {
      const given = deps.connectors?.[agencyId]
      if (given) return given
      const setting = deps.settings.get(agencyId) ?? 'demo'
      if (setting === 'demo') return demo
      if (setting === 'failing-demo') return failingDemo
      return webhookConnector(setting)
    },
  }
}
