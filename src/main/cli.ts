#!/usr/bin/env node
// samla <command>: the process entry points. No logic lives here; see src/app.
import { parseArgs } from 'node:util'
import { ConfigError, loadConfig } from '../app/config.ts'
import { createContainer, openConfiguredDatabase, PATHS, seed } from '../app/container.ts'
import { buildServer } from '../app/server.ts'
import { loadRuleSets, runRuleTests } from '../modules/rules/index.ts'
import { migrate, readMigrations } from '../platform/db/migrate.ts'

const HELP = `Samla – one door to the public sector

Usage: samla <command>

  start     web server with everything embedded; loads seed data on first start (npm start)
  serve     web server only, for production behind a load balancer
  migrate   apply the database migrations in db/migrations
  seed      load the catalogue and the test persons from data/ again
  rules test  run every rule set's test cases (data/rules/<id>/tests.yaml)
  help      this text

Configuration comes from the environment: see README.md.`

async function serve(options: { seedOnStart: boolean }) {
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
  const stop = async () => {
    clearInterval(purge)
    await app.close()
    await container.close()
    process.exit(0)
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  await app.listen({ port: config.port, host: config.host })
  const lines = [
    '',
    `Samla is running at ${config.publicUrl}`,
    `Database: ${container.database.engine === 'pglite' ? `PGlite in ${config.dataDir}` : 'PostgreSQL'}`,
  ]
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

async function main(argv: string[]) {
  const { positionals } = parseArgs({ args: argv, allowPositionals: true, strict: false })
  switch (positionals[0]) {
    case 'start':
      return serve({ seedOnStart: true })
    case 'serve':
      return serve({ seedOnStart: false })
    case 'migrate':
      return runMigrations()
    case 'seed':
      return runSeed()
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
