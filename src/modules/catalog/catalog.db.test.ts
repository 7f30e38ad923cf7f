import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { after, before, describe, it } from 'node:test'
import { parse } from 'yaml'
import { buildTestContainer } from '../../../test/helpers/container.ts'
import { ENGINES } from '../../../test/helpers/databases.ts'
import { type Container, PATHS } from '../../app/container.ts'

/** The version the catalogue files declare: loading must record exactly it. */
const fileVersion = async () =>
  String((parse(await readFile(`${PATHS.catalog}catalog.yaml`, 'utf8')) as { version: unknown }).version)

for (const engine of ENGINES) {
  describe(`the catalogue on ${engine}`, () => {
    let c: Container
    let drop: () => Promise<void>
    before(async () => {
      ;({ container: c, drop } = await buildTestContainer(engine))
    })
    after(() => drop())

    it('is loaded from the files with its version, and not again while the version is the same', async () => {
      const version = await fileVersion()
      assert.match(version, /^\d{4}\.\d{2}\.\d+$/)
      assert.equal(await c.catalog.currentVersion(), version)
      assert.deepEqual(await c.catalog.seedCatalog(), { version, loaded: false })
      assert.deepEqual(await c.catalog.seedCatalog({ force: true }), { version, loaded: true })
      assert.equal((await c.catalog.listLifeEvents()).length, 8)
    })

    it('keeps the life events in the catalogue’s order, with their steps', async () => {
      const event = await c.catalog.getLifeEvent('vi-ska-fa-barn')
      assert.equal(event?.title.sv, 'Vi ska få barn')
      assert.ok((event?.steps.length ?? 0) > 5)
      assert.equal(await c.catalog.getLifeEvent('finns-inte'), undefined)
    })

    it('gives Nacka and Sundsvall each their own version of the national preschool template (journey 8)', async () => {
      const nacka = await c.catalog.getLocalService('ansokan-om-forskoleplats', 'nacka-kommun')
      const sundsvall = await c.catalog.getLocalService('ansokan-om-forskoleplats', 'sundsvalls-kommun')
      assert.equal(nacka?.competentAuthority, 'nacka-kommun')
      assert.equal(sundsvall?.competentAuthority, 'sundsvalls-kommun')
      const texts = (s: typeof nacka) => JSON.stringify(s)
      assert.ok(!texts(nacka).includes('{agency}'), 'placeholders are filled')
      assert.ok(texts(nacka).includes('Nacka'))
      assert.notEqual(texts(nacka), texts(sundsvall))
    })

    it('knows the agencies at three levels, each municipality in its region', async () => {
      const agencies = await c.catalog.agenciesById()
      assert.equal(agencies.get('nacka-kommun')?.region, 'region-stockholm')
      assert.deepEqual(
        new Set([...agencies.values()].map((a) => a.level)),
        new Set(['state', 'region', 'municipality']),
      )
    })
  })
}
