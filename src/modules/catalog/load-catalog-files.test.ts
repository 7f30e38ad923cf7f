import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { loadCatalogFiles } from './load-catalog-files.ts'

const catalogDir = new URL('../../../data/catalog/', import.meta.url).pathname

describe('the catalogue in data/catalog', async () => {
  const catalog = await loadCatalogFiles(catalogDir)

  it('has the agencies at all three levels that the journeys need', () => {
    const ids = new Set(catalog.agencies.map((a) => a.id))
    for (const id of [
      'skatteverket',
      'forsakringskassan',
      'bolagsverket',
      'pensionsmyndigheten',
      'arbetsformedlingen',
      'csn',
      'region-stockholm',
      'region-ostergotland',
      'region-vasternorrland',
      'vastra-gotalandsregionen',
      'nacka-kommun',
      'linkopings-kommun',
      'sundsvalls-kommun',
      'goteborgs-stad',
    ])
      assert.ok(ids.has(id), `missing agency ${id}`)
  })

  it('has the life events of the journeys, each with steps across agencies', () => {
    const ids = catalog.lifeEvents.map((e) => e.id)
    for (const id of [
      'vi-ska-fa-barn',
      'barnet-ar-sjukt',
      'starta-foretag',
      'flytta',
      'anhorig-behover-aldreomsorg',
      'deklarera',
      'forlora-jobbet',
      'nar-nagon-dor',
    ])
      assert.ok(ids.includes(id), `missing life event ${id}`)
    for (const e of catalog.lifeEvents) {
      const responsible = new Set(e.steps.map((s) => s.responsible))
      assert.ok(responsible.size >= 2, `${e.id} involves only one agency`)
    }
  })

  it('gives every service a legal resource and a channel', () => {
    for (const s of [...catalog.services, ...catalog.templates]) {
      assert.ok(s.legalResources.length > 0, s.id)
      assert.ok(s.channels.length > 0, s.id)
    }
  })

  it('has the national preschool template adopted by Nacka and Sundsvall', () => {
    const adopters = catalog.adoptions
      .filter((a) => a.template === 'ansokan-om-forskoleplats')
      .map((a) => a.agency)
    assert.ok(adopters.includes('nacka-kommun'))
    assert.ok(adopters.includes('sundsvalls-kommun'))
  })
})
