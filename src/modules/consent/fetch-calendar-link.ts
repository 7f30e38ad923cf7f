// Reading a calendar from a link the person gives: https only (plain http only to this machine, in
// development and tests), never an address inside a private network, with a time limit and a size
// limit on what is read. Redirects are followed a few times, each checked like the first address.
import { lookup as dnsLookup } from 'node:dns'
import { request as httpRequest, type IncomingMessage } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { BlockList, isIP, type LookupFunction } from 'node:net'

export const LINK_LIMITS = {
  maxBytes: 1024 * 1024,
  timeoutMs: 10_000,
  maxRedirects: 3,
}

export type LinkProblem =
  | 'invalid-link'
  | 'not-https'
  | 'address-not-allowed'
  | 'unreachable'
  | 'timeout'
  | 'too-large'
  | 'refused'

export type FetchedLink = { kind: 'fetched'; content: Buffer } | { kind: 'failed'; problem: LinkProblem }

export interface LinkOptions {
  /** Development and tests: plain http to localhost, and addresses on this machine. */
  allowLocalHttp: boolean
  maxBytes?: number
  timeoutMs?: number
  maxRedirects?: number
}

const LOCAL_NAMES = new Set(['localhost', '127.0.0.1', '[::1]', '::1'])

const privateAddresses = new BlockList()
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  privateAddresses.addSubnet(net, prefix, 'ipv4')
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  privateAddresses.addSubnet(net, prefix, 'ipv6')

const loopback = new BlockList()
loopback.addSubnet('127.0.0.0', 8, 'ipv4')
loopback.addAddress('::1', 'ipv6')

function allowedAddress(address: string, allowLocal: boolean): boolean {
  // An IPv4 address written as IPv6 (::ffff:10.0.0.1) is checked as IPv4.
  const plain = address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '')
  const family = isIP(plain) === 6 ? 'ipv6' : 'ipv4'
  if (allowLocal && loopback.check(plain, family)) return true
  return !privateAddresses.check(plain, family)
}

class LinkFailure extends Error {
  readonly problem: LinkProblem
  constructor(problem: LinkProblem) {
    super(problem)
    this.problem = problem
  }
}

/** Looks the name up and refuses private addresses at connection time, so a later answer cannot differ. */
function guardedLookup(allowLocal: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, options, (error, address, family) => {
      if (error) return callback(error, address as string, family)
      const list = Array.isArray(address) ? address : [{ address, family }]
      if (list.some((a) => !allowedAddress(a.address, allowLocal)))
        return callback(new LinkFailure('address-not-allowed'), '', 4)
      return callback(null, address as string, family)
    })
  }
}

/** The checked address to read, or why it may not be read. */
function checkLink(link: string, allowLocal: boolean): URL {
  let url: URL
  try {
    url = new URL(link.trim().replace(/^webcals?:\/\//i, 'https://'))
  } catch {
    throw new LinkFailure('invalid-link')
  }
  if (url.username || url.password) throw new LinkFailure('invalid-link')
  const local = LOCAL_NAMES.has(url.hostname)
  if (url.protocol === 'http:' && !(allowLocal && local)) throw new LinkFailure('not-https')
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new LinkFailure('not-https')
  const literal = url.hostname.replace(/^\[|\]$/g, '')
  if (isIP(literal) && !allowedAddress(literal, allowLocal)) throw new LinkFailure('address-not-allowed')
  return url
}

/** Reads the calendar behind a link, within the limits; never throws for what the link does. */
export async function fetchCalendarLink(link: string, options: LinkOptions): Promise<FetchedLink> {
  const maxBytes = options.maxBytes ?? LINK_LIMITS.maxBytes
  const deadline = Date.now() + (options.timeoutMs ?? LINK_LIMITS.timeoutMs)
  const maxRedirects = options.maxRedirects ?? LINK_LIMITS.maxRedirects
  try {
    let url = checkLink(link, options.allowLocalHttp)
    for (let redirects = 0; ; redirects++) {
      const answer = await get(url, { allowLocal: options.allowLocalHttp, maxBytes, deadline })
      if (answer.kind === 'content') return { kind: 'fetched', content: answer.content }
      if (redirects >= maxRedirects) throw new LinkFailure('refused')
      url = checkLink(new URL(answer.location, url).toString(), options.allowLocalHttp)
    }
  } catch (error) {
    if (error instanceof LinkFailure) return { kind: 'failed', problem: error.problem }
    return { kind: 'failed', problem: 'unreachable' }
  }
}

function get(
  url: URL,
  limits: { allowLocal: boolean; maxBytes: number; deadline: number },
): Promise<{ kind: 'content'; content: Buffer } | { kind: 'redirect'; location: string }> {
  return new Promise((resolve, reject) => {
    const timeLeft = limits.deadline - Date.now()
    if (timeLeft <= 0) return reject(new LinkFailure('timeout'))
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest
    const request = send(url, {
      method: 'GET',
      lookup: guardedLookup(limits.allowLocal),
      // No compression asked for: what arrives is what is counted.
      headers: { accept: 'text/calendar, text/plain;q=0.5', 'user-agent': 'Samla calendar reader' },
    })
    // The first reason wins: the promise is settled before the connection is torn down.
    const fail = (error: unknown) => {
      clearTimeout(timer)
      reject(error)
    }
    const stop = (problem: LinkProblem) => {
      fail(new LinkFailure(problem))
      request.destroy()
    }
    const timer = setTimeout(() => stop('timeout'), timeLeft)
    request.on('error', fail)
    request.on('response', (response: IncomingMessage) => {
      const status = response.statusCode ?? 0
      if ([301, 302, 303, 307, 308].includes(status) && response.headers.location) {
        clearTimeout(timer)
        response.resume()
        request.destroy()
        return resolve({ kind: 'redirect', location: response.headers.location })
      }
      if (status !== 200) return stop('refused')
      if (Number(response.headers['content-length'] ?? 0) > limits.maxBytes) return stop('too-large')
      const chunks: Buffer[] = []
      let size = 0
      response.on('data', (chunk: Buffer) => {
        size += chunk.length
        if (size > limits.maxBytes) return stop('too-large')
        chunks.push(chunk)
      })
      response.on('error', fail)
      response.on('end', () => {
        clearTimeout(timer)
        resolve({ kind: 'content', content: Buffer.concat(chunks) })
      })
    })
    request.end()
  })
}
