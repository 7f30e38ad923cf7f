// The access records are tamper-evident and append-only, on both engines: each person's records
// form a hash chain; the database refuses changes; and whoever goes around it (a superuser who
// turns the trigger off) leaves a chain that `samla audit verify` shows broken, at the right record.
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { buildTestContainer } from '../../../test/helpers/container.ts'
import { ENGINES } from '../../../test/helpers/databases.ts'
import type { Container } from '../../app/container.ts'
import { chainHash, contentHash, GENESIS_HASH } from './access-chain.ts'

const PNR = {
  erik: '198111042381',
  anna: '199705142389',
  sara: '199002222389',
  johan: '198807072395',
  maria: '196812032396',
  karin: '197901252390',
  ahmed: '198503092382',
  eva: '197208152392',
}

for (const engine of ENGINES) {
  describe(`the chain of access records on ${engine}`, () => {
    let c: Container
    let drop: () => Promise<void>
    const id: Record<string, string> = {}
    before(async () => {
      ;({ container: c, drop } = await buildTestContainer(engine))
      for (const [name, pnr] of Object.entries(PNR)) {
        // Five more records for each: four sign-ins and a look at the profile.
        for (let i = 0; i < 4; i++) id[name] = (await c.people.identifyPerson(pnr, 'login')) as string
        await c.people.readPerson({
          actor: { kind: 'person', personId: id[name] as string },
          purpose: 'profile',
          personId: id[name] as string,
        })
      }
      await c.people.sealAccessChains()
    })
    after(() => drop())

    const records = (personId: string) =>
      c.database.db
        .selectFrom('people.access_log')
        .select(['id', 'seq', 'prev_hash', 'hash', 'purpose'])
        .where('person_id', '=', personId)
        .orderBy('seq')
        .execute()
    /** Runs SQL as the database's owner would, with the append-only triggers turned off. */
    const tamper = (statements: string) =>
      c.database.runScript((tx) =>
        tx.exec(`alter table people.access_log disable trigger user;
                 alter table people.access_chain_heads disable trigger user;
                 ${statements};
                 alter table people.access_log enable trigger user;
                 alter table people.access_chain_heads enable trigger user;`),
      )
    const brokenFor = async (personId: string) =>
      (await c.people.verifyAccessChains()).broken.find((b) => b.personId === personId)

    it('numbers each person’s records from 1 and links each to the one before', async () => {
      const chain = await records(id.erik as string)
      assert.ok(chain.length >= 6, 'the import, four sign-ins and the profile')
      assert.deepEqual(
        chain.map((r) => Number(r.seq)),
        chain.map((_, i) => i + 1),
      )
      assert.deepEqual(new Uint8Array(chain[0]?.prev_hash ?? []), GENESIS_HASH)
      for (let i = 1; i < chain.length; i++)
        assert.deepEqual(Buffer.from(chain[i]?.prev_hash ?? []), Buffer.from(chain[i - 1]?.hash ?? []))
    })

    it('encodes a record the same way in the database as in Samla, which verify relies on', async () => {
      // Written by hand, without the content's hash: the database's trigger computes it.
      const anna = id.anna as string
      await c.database.runScript((tx) =>
        tx.exec(`insert into people.access_log (person_id, actor_kind, actor_id, actor_agency_id, consent_id,
                   purpose, legal_basis, data_categories)
                 values ('${anna}', 'caseworker', 'Åsa Öberg', 'forsakringskassan', '${randomUUID()}',
                   'case-handling', 'case-handling', '{identity,occupation}')`),
      )
      const [row] = await c.database.runScript((tx) =>
        tx.query<Record<string, never>>(
          `select *, ((extract(epoch from read_at) * 1000000)::bigint)::text as micros from people.access_log
           where person_id = $1 order by seq desc limit 1`,
          [anna],
        ),
      )
      const r = row as unknown as Record<string, unknown>
      const computed = contentHash({
        personId: r.person_id as string,
        actorKind: r.actor_kind as string,
        actorId: r.actor_id as string,
        actorAgencyId: r.actor_agency_id as string,
        onBehalfOf: null,
        consentId: r.consent_id as string,
        purpose: r.purpose as string,
        legalBasis: r.legal_basis as string,
        categories: r.data_categories as string[],
        readAtMicros: r.micros as string,
      })
      assert.equal(computed.toString('hex'), Buffer.from(r.content_hash as Uint8Array).toString('hex'))
      assert.equal(await brokenFor(anna), undefined)
    })

    it('finds every chain whole, and counts them', async () => {
      const result = await c.people.verifyAccessChains()
      assert.deepEqual(result.broken, [])
      assert.ok(result.chains >= 15, `${result.chains} chains`)
      assert.ok(result.records >= result.chains + 8 * 5)
    })

    it('refuses to change, delete or empty the records, and to move a sealed head back', async () => {
      const erik = id.erik as string
      await assert.rejects(
        c.database.db
          .updateTable('people.access_log')
          .set({ purpose: 'profile' })
          .where('person_id', '=', erik)
          .execute(),
        /append-only/,
      )
      await assert.rejects(
        c.database.db.deleteFrom('people.access_log').where('person_id', '=', erik).execute(),
        /append-only/,
      )
      await assert.rejects(
        c.database.runScript((tx) => tx.exec('truncate people.access_log')),
        /append-only/,
      )
      await assert.rejects(
        c.database.db
          .updateTable('people.access_chain_heads')
          .set({ seq: 1 })
          .where('person_id', '=', erik)
          .execute(),
        /only move forward/,
      )
      assert.equal((await c.people.verifyAccessChains()).broken.length, 0)
    })

    it('shows a changed record: the person, its number, its id', async () => {
      const target = (await records(id.anna as string))[2]
      assert.ok(target)
      await tamper(`update people.access_log set purpose = 'personal-plan' where id = ${target.id}`)
      const broken = await brokenFor(id.anna as string)
      assert.deepEqual(
        { kind: broken?.kind, seq: broken?.seq, recordId: broken?.recordId },
        { kind: 'changed', seq: 3, recordId: Number(target.id) },
      )
      assert.match(broken?.detail ?? '', /no longer matches its hash/)
    })

    it('shows a record changed and given a new hash, at that record', async () => {
      const chain = await records(id.ahmed as string)
      const target = chain[1]
      assert.ok(target)
      const content = {
        personId: id.ahmed as string,
        actorKind: 'samla',
        actorId: 'login',
        actorAgencyId: null,
        onBehalfOf: null,
        consentId: null,
        purpose: 'register-import',
        legalBasis: 'register-law',
        categories: ['identity'],
        readAtMicros: '0',
      }
      const forged = chainHash(target.prev_hash, content)
      await tamper(
        `update people.access_log set actor_kind = 'samla', actor_id = 'login', actor_agency_id = null,
           on_behalf_of = null, consent_id = null, purpose = 'register-import', legal_basis = 'register-law',
           data_categories = '{identity}', read_at = 'epoch',
           content_hash = '\\x${contentHash(content).toString('hex')}', hash = '\\x${forged.toString('hex')}'
         where id = ${target.id}`,
      )
      const broken = await brokenFor(id.ahmed as string)
      assert.equal(broken?.kind, 'changed')
      assert.equal(broken?.seq, 2)
      assert.equal(broken?.recordId, Number(target.id))
    })

    it('shows a missing record by the number that is gone', async () => {
      const target = (await records(id.sara as string))[3]
      assert.ok(target)
      await tamper(`delete from people.access_log where id = ${target.id}`)
      const broken = await brokenFor(id.sara as string)
      assert.deepEqual({ kind: broken?.kind, seq: broken?.seq }, { kind: 'missing', seq: 4 })
      assert.match(broken?.detail ?? '', /record 4 is missing/)
    })

    it('shows the last records missing, against the chain’s sealed head', async () => {
      const chain = await records(id.eva as string)
      const last = chain.at(-1)
      assert.ok(last)
      await tamper(`delete from people.access_log where id = ${last.id}`)
      const broken = await brokenFor(id.eva as string)
      assert.deepEqual({ kind: broken?.kind, seq: broken?.seq }, { kind: 'missing', seq: Number(last.seq) })
    })

    it('shows records put in another order', async () => {
      const chain = await records(id.johan as string)
      const [second, third] = [chain[1], chain[2]]
      assert.ok(second && third)
      await tamper(`update people.access_log set seq = -1 where id = ${second.id};
                    update people.access_log set seq = 2 where id = ${third.id};
                    update people.access_log set seq = 3 where id = ${second.id}`)
      const broken = await brokenFor(id.johan as string)
      assert.deepEqual(
        { kind: broken?.kind, seq: broken?.seq, recordId: broken?.recordId },
        { kind: 'reordered', seq: 2, recordId: Number(third.id) },
      )
    })

    it('shows a record put into the middle of a chain', async () => {
      const chain = await records(id.maria as string)
      const at = chain[2]
      assert.ok(at)
      // A well-formed record after the second, and everything after it moved one step on.
      const content = {
        personId: id.maria as string,
        actorKind: 'caseworker',
        actorId: 'someone',
        actorAgencyId: 'forsakringskassan',
        onBehalfOf: null,
        consentId: null,
        purpose: 'case-handling',
        legalBasis: 'case-handling',
        categories: ['identity'],
        readAtMicros: '0',
      }
      const forged = chainHash(at.prev_hash, content)
      const maria = id.maria as string
      await tamper(`update people.access_log set seq = -seq where person_id = '${maria}' and seq >= 3;
                    update people.access_log set seq = -seq + 1 where person_id = '${maria}' and seq < 0;
                    insert into people.access_log (person_id, actor_kind, actor_id, actor_agency_id, purpose,
                      legal_basis, data_categories, read_at, seq, content_hash, prev_hash, hash)
                    values ('${maria}', 'caseworker', 'someone', 'forsakringskassan', 'case-handling',
                      'case-handling', '{identity}', 'epoch', 3, '\\x${contentHash(content).toString('hex')}',
                      '\\x${Buffer.from(at.prev_hash).toString('hex')}', '\\x${forged.toString('hex')}')`)
      const broken = await brokenFor(maria)
      assert.deepEqual({ kind: broken?.kind, seq: broken?.seq }, { kind: 'inserted', seq: 3 })
    })

    it('shows a chain cut short after its seal, even when new records follow', async () => {
      const karin = id.karin as string
      const chain = await records(karin)
      const sealedAt = Number(chain.at(-1)?.seq)
      await tamper(`delete from people.access_log where person_id = '${karin}' and seq >= ${sealedAt - 1}`)
      await c.people.identifyPerson(PNR.karin, 'login')
      const broken = await brokenFor(karin)
      assert.deepEqual({ kind: broken?.kind, seq: broken?.seq }, { kind: 'missing', seq: sealedAt })
    })

    it('leaves records after the last seal to the next one, whole', async () => {
      const erik = id.erik as string
      await c.people.identifyPerson(PNR.erik, 'login')
      assert.equal(await brokenFor(erik), undefined)
      await c.people.sealAccessChains()
      assert.equal(await brokenFor(erik), undefined)
    })

    it('keeps the other chains whole, and still appends to a broken one', async () => {
      const result = await c.people.verifyAccessChains()
      const brokenPersons = new Set(result.broken.map((b) => b.personId))
      assert.equal(brokenPersons.has(id.erik as string), false)
      assert.equal(result.broken.length, 7)
      const before = (await records(id.erik as string)).length
      await c.people.identifyPerson(PNR.erik, 'login')
      assert.equal((await records(id.erik as string)).length, before + 1)
    })

    it('erases a whole chain only, and only through people.erase_access_chain', async () => {
      const erik = id.erik as string
      const { removed } = (
        await c.database.runScript((tx) =>
          tx.query<{ removed: number }>('select people.erase_access_chain($1) as removed', [erik]),
        )
      )[0] as { removed: number }
      assert.ok(Number(removed) >= 7)
      assert.equal((await records(erik)).length, 0)
      assert.equal(
        (await c.people.verifyAccessChains()).broken.some((b) => b.personId === erik),
        false,
      )
      // A new chain starts from 1.
      await c.people.identifyPerson(PNR.erik, 'login')
      assert.deepEqual(
        (await records(erik)).map((r) => Number(r.seq)),
        [1],
      )
    })
  })
}

describe('records written at the same time for one person', () => {
  it('form one unbroken chain on PostgreSQL, whoever writes first', async () => {
    const { container: c, drop } = await buildTestContainer('postgres')
    try {
      const erik = (await c.people.identifyPerson(PNR.erik, 'login')) as string
      await Promise.all(
        Array.from({ length: 40 }, () =>
          c.people.readPerson({
            actor: { kind: 'person', personId: erik },
            purpose: 'profile',
            personId: erik,
          }),
        ),
      )
      const seqs = (
        await c.database.db
          .selectFrom('people.access_log')
          .select('seq')
          .where('person_id', '=', erik)
          .orderBy('seq')
          .execute()
      ).map((r) => Number(r.seq))
      assert.deepEqual(
        seqs,
        seqs.map((_, i) => i + 1),
      )
      assert.deepEqual((await c.people.verifyAccessChains()).broken, [])
    } finally {
      await drop()
    }
  })
})
