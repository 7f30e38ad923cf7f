#!/usr/bin/env node
// samla <command>: the process entry points. No logic lives here; see src/app.
import { parseArgs } from 'node:util'
import pino from 'pino'
import { ConfigError, loadConfig } from '../app/config.ts'
import { createContainer, openConfiguredDatabase, PATHS, seed } from '../app/container.ts'
import { createJobWorker } from '../app/jobs.ts'
import { buildServer } from '../app/server.ts'
import {
  describeVerification,
  type RegisterEventInput,
  unwrapRegisterEvent,
  verifyAccessChains,
} from '../modules/people/index.ts'
import { loadRuleSets, runRuleTests } from '../modules/rules/index.ts'
import { migrate, readMigrations } from '../platform/db/migrate.ts'
import { AppError } from '../platform/errors.ts'
import { createTranslator, loadMessages } from '../platform/i18n.ts'
import { createProgress } from '../platform/progress.ts'

const HELP = `Samla – one door to the public sector

Usage: samla <command>

  start     web server and job worker with everything embedded; loads seed data on first start
            (npm start)
  serve     web server only, for production behind a load balancer
  worker    job worker only (e-mail, SMS, push …); run as many as needed against one PostgreSQL
  migrate   apply the database migrations in db/migrations
  seed      load the catalogue and the test persons from data/ again
  rules test  run every rule set's test cases (data/rules/<id>/tests.yaml)
  audit verify
            walk every person's chain of access records; OK with the counts, or the first broken
            link of each chain (exits 1)
  simulate --persons N [--seed S]
            generate a synthetic national population into the database (development and test
            databases only: the made-up personal identity numbers may be real persons')
  triggers --date YYYY-MM-DD [--partitions N] [--jobs]
            find everyone for whom something is due that day and store each trigger once; with
            --jobs, leave the partitions to the job workers
  register-event --kind K --id ID --person PNR --date YYYY-MM-DD [--source S] [--guardian PNR]...
                 [--data JSON]
            send an event as a register would (birth, pregnancy, move, death, marriage,
            company-registration, age-reached); stored once, the job workers do the rest.
            E.g. a birth: --kind birth --id fb-1 --person 20270303-XXXX --date 2027-03-03
            --guardian 19970514-2389 --guardian 19950830-2396
  register-events --due YYYY-MM-DD
            turn every pregnancy and announced move in the register due by that day into its
            birth or move, recorded as any register event; running it again records nothing new
  help      this text

Configuration comes from the environment: see README.md.`

async function serve(options: { seedOnStart: boolean; withWorker: boolean }) {
  const config = loadConfig()
  const container = await createContainer(config)
  if (options.seedOnStart) {
    const seeded = await seed(container)
    if (seeded.catalogLoaded || seeded.personsImported > 0)
      process.stdout.write(
        `Loaded catalogue ${seeded.catalogVersion} and ${seeded.personsImported} test persons from data/\n`,
      )
  }
  const app = await buildServer(container)
  const purge = setInterval(() => {
    container.auth.sessions
      .purgeExpiredSessions()
      .catch((error: unknown) => app.log.error({ err: error }, 'session purge failed'))
  }, 5 * 60_000)
  purge.unref()
  // Access chains are sealed every minute: a chain cut short after its seal shows in verify.
  const seal = setInterval(() => {
    container.people
      .sealAccessChains()
      .catch((error: unknown) => app.log.error({ err: error }, 'sealing the access chains failed'))
  }, 60_000)
  seal.unref()
  const worker = options.withWorker
    ? createJobWorker(container, { log: app.log, dailyScan: true })
    : undefined
  const stop = async () => {
    clearInterval(purge)
    clearInterval(seal)
    await worker?.stop()
    await app.close()
    await container.close()
    process.exit(0)
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  await app.listen({ port: config.port, host: config.host })
  worker?.start()
  const lines = [
    '',
    `Samla is running at ${config.publicUrl}`,
    `Database: ${container.database.engine === 'pglite' ? `PGlite in ${config.dataDir}` : 'PostgreSQL'}`,
  ]
  if (container.notify.hasDevMailbox)
    lines.push(
      `Mail: caught by the development mailbox; a signed-in person sees theirs at ${config.publicUrl}/dev/mailbox`,
    )
  if (config.oidc.kind === 'embedded') {
    lines.push(
      `Sign in: open ${config.publicUrl}/logga-in and choose a test person in the development identity provider, e.g.`,
      ...container.auth.devUsers
        .slice(0, 3)
        .map((u) => `  ${u.givenName} ${u.familyName} (${u.personalNumber}) – ${u.description.en}`),
    )
  } else {
    lines.push(`Sign in with ${config.oidc.issuer}`)
  }
  process.stdout.write(`${lines.join('\n')}\n\n`)
}

async function runWorker() {
  const config = loadConfig()
  const container = await createContainer(config)
  const log = pino({ level: config.logLevel })
  const worker = createJobWorker(container, { log, dailyScan: true })
  const stop = async () => {
    await worker.stop()
    await container.close()
    process.exit(0)
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  worker.start()
  log.info(
    {
      worker: worker.id,
      concurrency: config.workerConcurrency,
      smtp: container.notify.smtpUrl.replace(/\/\/[^@/]*@/, '//'),
    },
    'Samla worker is running jobs',
  )
}

async function runMigrations() {
  const config = loadConfig()
  const database = await openConfiguredDatabase(config)
  try {
    const applied = await migrate(database.runScript, await readMigrations(PATHS.migrations))
    process.stdout.write(applied.length ? `Applied ${applied.join(', ')}\n` : 'The database is up to date\n')
  } finally {
    await database.close()
  }
}

async function runSeed() {
  const container = await createContainer(loadConfig())
  try {
    const result = await seed(container, { force: true })
    process.stdout.write(`Loaded catalogue ${result.catalogVersion} and ${result.personsImported} persons\n`)
  } finally {
    await container.close()
  }
}

async function verifyAudit() {
  const database = await openConfiguredDatabase(loadConfig())
  try {
    const result = await verifyAccessChains(database.db)
    process.stdout.write(`${describeVerification(result).join('\n')}\n`)
    if (result.broken.length > 0) process.exitCode = 1
  } finally {
    await database.close()
  }
}

async function testRules() {
  const ruleSets = await loadRuleSets(PATHS.rules)
  let failed = 0
  for (const loaded of ruleSets.values()) {
    const results = runRuleTests(loaded)
    const passed = results.filter((r) => r.passed).length
    process.stdout.write(
      `${loaded.ruleSet.id} ${loaded.ruleSet.version}: ${passed} of ${results.length} test cases pass\n`,
    )
    for (const r of results.filter((x) => !x.passed)) {
      failed++
      process.stdout.write(`  ✗ ${r.name}\n${r.failures.map((f) => `      ${f}`).join('\n')}\n`)
    }
  }
  if (failed > 0) process.exitCode = 1
}

function numberOption(value: unknown, name: string, fallback?: number): number {
  if (value === undefined && fallback !== undefined) return fallback
  const n = Number(value)
  if (value === undefined || typeof value === 'boolean' || !Number.isSafeInteger(n) || n < 0) {
    process.stderr.write(`--${name} must be a whole number\n`)
    process.exit(2)
  }
  return n
}

async function runSimulate(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: { persons: { type: 'string' }, seed: { type: 'string' } },
  })
  const persons = numberOption(values.persons, 'persons')
  const seed = numberOption(values.seed, 'seed', 1)
  const container = await createContainer(loadConfig())
  const progress = createProgress('Persons')
  try {
    const result = await container.people.simulatePopulation({
      persons,
      seed,
      today: container.clock.today(),
      onProgress: ({ persons: done, total }) => progress.update(done, total),
    })
    progress.finish()
    if (result.kind === 'population-exists') {
      process.stderr.write(
        `The database holds ${result.persons} persons besides the test persons already: simulate into a database without a population.\n`,
      )
      process.exitCode = 1
      return
    }
    process.stdout.write(
      `Generated ${result.persons} persons in ${result.households} households, ${result.relations} relations and ${result.circumstances} register events (seed ${seed}, as of ${container.clock.today()})\n`,
    )
  } finally {
    await container.close()
  }
}

async function runTriggers(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: { date: { type: 'string' }, partitions: { type: 'string' }, jobs: { type: 'boolean' } },
  })
  const container = await createContainer(loadConfig())
  try {
    const date = values.date ?? container.clock.today().toString()
    const partitions = numberOption(
      values.partitions,
      'partitions',
      container.database.engine === 'postgres' ? 2 : 1,
    )
    if (values.jobs) {
      const queued = await container.proactive.enqueueDateScan(date, partitions)
      process.stdout.write(`Queued ${queued} of ${partitions} partitions of ${date} for the job workers\n`)
      return
    }
    const started = performance.now()
    const result = await container.proactive.scanDay({ date, partitions })
    if (result.kind !== 'scanned') {
      process.stderr.write(
        `samla triggers: ${result.kind === 'invalid-date' ? 'the date must be YYYY-MM-DD' : 'invalid --partitions'}\n`,
      )
      process.exitCode = 2
      return
    }
    const kinds = Object.entries(result.fired).map(([kind, n]) => `  ${kind}: ${n}`)
    process.stdout.write(
      `Fired ${result.total} triggers for ${date} in ${((performance.now() - started) / 1000).toFixed(1)} s${kinds.length ? `\n${kinds.join('\n')}` : ''}\n`,
    )
  } finally {
    await container.close()
  }
}

async function runRegisterEvent(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      kind: { type: 'string' },
      id: { type: 'string' },
      person: { type: 'string' },
      date: { type: 'string' },
      source: { type: 'string' },
      guardian: { type: 'string', multiple: true },
      data: { type: 'string' },
    },
  })
  let data: Record<string, unknown> = {}
  try {
    data = values.data ? (JSON.parse(values.data) as Record<string, unknown>) : {}
  } catch {
    process.stderr.write('--data must be a JSON object, e.g. \'{"expectedDate":"2027-03-12"}\'\n')
    process.exitCode = 2
    return
  }
  if (values.guardian) data.guardians = values.guardian
  const container = await createContainer(loadConfig())
  const t = createTranslator(loadMessages(PATHS.messages).en)
  try {
    const event: RegisterEventInput = {
      kind: values.kind ?? '',
      sourceEventId: values.id ?? '',
      personalNumber: values.person ?? '',
      occurredOn: values.date ?? container.clock.today().toString(),
      source: values.source,
      data,
    }
    const result = unwrapRegisterEvent(await container.people.recordRegisterEvent(event), t)
    process.stdout.write(
      result.replayed
        ? `Event ${result.eventId} had come before: nothing changed\n`
        : `Stored ${event.kind} event ${result.eventId} for ${result.personIds.length} persons; the job workers tell the rest of Samla\n`,
    )
  } catch (error) {
    if (!(error instanceof AppError)) throw error
    const fields = (error.fields ?? []).map((f) => `  ${f.field}: ${f.message}`)
    process.stderr.write(`${[t(`errors.${error.code}`, error.params), ...fields].join('\n')}\n`)
    process.exitCode = 2
  } finally {
    await container.close()
  }
}

async function runDueRegisterEvents(argv: string[]) {
  const { values } = parseArgs({ args: argv, options: { due: { type: 'string' } } })
  const container = await createContainer(loadConfig())
  try {
    const date = values.due ?? container.clock.today().toString()
    const result = await container.people.emitDueRegisterEvents({ date })
    if (result.kind !== 'emitted') {
      process.stderr.write(
        result.kind === 'invalid-date'
          ? 'samla register-events: --due must be a date, YYYY-MM-DD\n'
          : `samla register-events: events are recorded when they have happened; today is ${result.today}\n`,
      )
      process.exitCode = 2
      return
    }
    const refused = result.refused.map(
      (r) => `  ${r.sourceEventId}: ${r.result}${r.fields ? ` (${r.fields.join(', ')})` : ''}`,
    )
    process.stdout.write(
      `Recorded ${result.recorded} register events due by ${result.date}; ${result.alreadyRecorded} were there already${refused.length ? `\n${refused.length} refused:\n${refused.join('\n')}` : ''}\n`,
    )
  } finally {
    await container.close()
  }
}

async function main(argv: string[]) {
  const { positionals } = parseArgs({ args: argv, allowPositionals: true, strict: false })
  switch (positionals[0]) {
    case 'start':
      return serve({ seedOnStart: true, withWorker: true })
    case 'serve':
      return serve({ seedOnStart: false, withWorker: false })
    case 'worker':
      return runWorker()
    case 'migrate':
      return runMigrations()
    case 'simulate':
      return runSimulate(argv.slice(1))
    case 'triggers':
      return runTriggers(argv.slice(1))
    case 'register-event':
      return runRegisterEvent(argv.slice(1))
    case 'register-events':
      return runDueRegisterEvents(argv.slice(1))
    case 'seed':
      return runSeed()
    case 'audit':
      if (positionals[1] === 'verify') return verifyAudit()
      process.stderr.write(`Usage: samla audit verify\n`)
      process.exitCode = 2
      return
    case 'rules':
      if (positionals[1] === 'test') return testRules()
      process.stderr.write(`Usage: samla rules test\n`)
      process.exitCode = 2
      return
    case undefined:
    case 'help':
      process.stdout.write(`${HELP}\n`)
      return
    default:
      process.stderr.write(`Unknown command "${positionals[0]}".\n\n${HELP}\n`)
      process.exitCode = 2
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`Configuration error: ${error.message}\n`)
    process.exit(2)
  }
  console.error(error)
  process.exit(1)
})
