import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { buildTestContainer } from '../../../test/helpers/container.ts'
import { ENGINES } from '../../../test/helpers/databases.ts'
import type { Container } from '../../app/container.ts'
import { createManualClock } from '../../platform/clock.ts'

for (const engine of ENGINES) {
  describe(`sessions on ${engine}`, () => {
    const clock = createManualClock('2026-11-25T08:00:00Z')
    let c: Container
    let drop: () => Promise<void>
    before(async () => {
      ;({ container: c, drop } = await buildTestContainer(engine, { clock, seed: false }))
    })
    after(() => drop())

    const start = () =>
      c.auth.sessions.startSession({
        subject: 's',
        personId: undefined,
        name: 'Anna Berg',
        roles: [],
        agencyId: undefined,
        assuranceLevel: undefined,
        idToken: undefined,
      })

    it('stays active while the person keeps using it, up to 12 hours', async () => {
      clock.set('2026-11-25T08:00:00Z')
      const { token } = await start()
      for (let i = 0; i < 11; i++) {
        clock.advance({ minutes: 25 })
        assert.equal((await c.auth.sessions.resumeSession(token)).kind, 'active')
      }
      clock.set('2026-11-25T20:00:01Z')
      assert.equal((await c.auth.sessions.resumeSession(token)).kind, 'expired')
    })

    it('ends after 30 minutes without a request', async () => {
      clock.set('2026-11-25T08:00:00Z')
      const { token } = await start()
      clock.advance({ minutes: 31 })
      assert.equal((await c.auth.sessions.resumeSession(token)).kind, 'expired')
      assert.equal(
        (await c.auth.sessions.resumeSession(token)).kind,
        'unknown',
        'an expired session is removed',
      )
    })

    it('does not know a forged or ended token', async () => {
      assert.equal((await c.auth.sessions.resumeSession('x'.repeat(43))).kind, 'unknown')
      assert.equal((await c.auth.sessions.resumeSession("'; drop table auth.sessions; --")).kind, 'unknown')
      clock.set('2026-11-25T08:00:00Z')
      const { token } = await start()
      await c.auth.sessions.endSession(token)
      assert.equal((await c.auth.sessions.resumeSession(token)).kind, 'unknown')
    })
  })
}
