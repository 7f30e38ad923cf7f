// A calendar link is read over https within a time and size limit; private addresses and plain http
// elsewhere than this machine are refused before any connection is made.
import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { fetchCalendarLink } from './fetch-calendar-link.ts'

const ICS = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n'

let server: Server
let base: string
before(async () => {
  server = createServer((request, response) => {
    switch (request.url) {
      case '/kalender.ics':
        response.writeHead(200, { 'content-type': 'text/calendar' })
        return response.end(ICS)
      case '/flyttad':
        response.writeHead(302, { location: '/kalender.ics' })
        return response.end()
      case '/ut-pa-natet':
        response.writeHead(302, { location: 'http://example.com/kalender.ics' })
        return response.end()
      case '/till-routern':
        response.writeHead(302, { location: 'https://192.168.1.1/kalender.ics' })
        return response.end()
      case '/stor-med-langd':
        response.writeHead(200, { 'content-length': String(50 * 1024 * 1024) })
        return response.end()
      case '/utan-slut': {
        // Sends for as long as anyone reads: only the reader's limit stops it.
        response.writeHead(200, { 'content-type': 'text/calendar' })
        const chunk = Buffer.alloc(64 * 1024, 'A')
        const pump = () => {
          while (response.write(chunk)) if (response.destroyed) return
          response.once('drain', pump)
        }
        response.on('close', () => response.removeAllListeners('drain'))
        return pump()
      }
      case '/langsam':
        response.writeHead(200, { 'content-type': 'text/calendar' })
        response.write('BEGIN:VCALENDAR\r\n')
        return // never ends
      default:
        response.writeHead(404)
        return response.end()
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
after(() => {
  server.closeAllConnections()
  server.close()
})

const dev = { allowLocalHttp: true }

describe('reading a calendar link', () => {
  it('reads the calendar, following a redirect', async () => {
    const direct = await fetchCalendarLink(`${base}/kalender.ics`, dev)
    assert.equal(direct.kind, 'fetched')
    assert.equal(direct.kind === 'fetched' && direct.content.toString(), ICS)
    const moved = await fetchCalendarLink(`${base}/flyttad`, dev)
    assert.equal(moved.kind === 'fetched' && moved.content.toString(), ICS)
  })

  it('takes only https, except to this machine in development', async () => {
    assert.deepEqual(await fetchCalendarLink('http://example.com/kalender.ics', dev), {
      kind: 'failed',
      problem: 'not-https',
    })
    assert.deepEqual(await fetchCalendarLink(`${base}/kalender.ics`, { allowLocalHttp: false }), {
      kind: 'failed',
      problem: 'not-https',
    })
    assert.deepEqual(await fetchCalendarLink('ftp://example.com/kalender.ics', dev), {
      kind: 'failed',
      problem: 'not-https',
    })
    assert.deepEqual(await fetchCalendarLink('inte en länk', dev), {
      kind: 'failed',
      problem: 'invalid-link',
    })
    assert.deepEqual(await fetchCalendarLink(`${base}/ut-pa-natet`, dev), {
      kind: 'failed',
      problem: 'not-https',
    })
  })

  it('never reads from a private network or this machine in production', async () => {
    for (const link of [
      'https://10.0.0.8/kalender.ics',
      'https://169.254.169.254/latest/meta-data',
      'https://[::1]/kalender.ics',
      'https://127.0.0.1/kalender.ics',
      'https://localhost/kalender.ics',
    ])
      assert.deepEqual(
        await fetchCalendarLink(link, { allowLocalHttp: false }),
        { kind: 'failed', problem: 'address-not-allowed' },
        link,
      )
    assert.deepEqual(await fetchCalendarLink(`${base}/till-routern`, dev), {
      kind: 'failed',
      problem: 'address-not-allowed',
    })
  })

  it('stops reading at the size limit, whether the size is announced or not', async () => {
    assert.deepEqual(await fetchCalendarLink(`${base}/stor-med-langd`, dev), {
      kind: 'failed',
      problem: 'too-large',
    })
    const started = performance.now()
    assert.deepEqual(await fetchCalendarLink(`${base}/utan-slut`, { ...dev, maxBytes: 256 * 1024 }), {
      kind: 'failed',
      problem: 'too-large',
    })
    assert.ok(performance.now() - started < 2_000)
  })

  it('gives up when the answer takes too long', async () => {
    const started = performance.now()
    assert.deepEqual(await fetchCalendarLink(`${base}/langsam`, { ...dev, timeoutMs: 300 }), {
      kind: 'failed',
      problem: 'timeout',
    })
    assert.ok(performance.now() - started < 1_500)
  })

  it('tells a missing calendar apart', async () => {
    assert.deepEqual(await fetchCalendarLink(`${base}/finns-inte.ics`, dev), {
      kind: 'failed',
      problem: 'refused',
    })
  })
})
