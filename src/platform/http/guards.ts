import type { FastifyReply, FastifyRequest } from 'fastify'
import { AppError } from '../errors.ts'
import { wantsJson } from './errors-plugin.ts'
import type { Viewer } from './request-context.ts'

/** A path inside Samla to come back to after signing in; anything else becomes the start page. */
export function safeReturnPath(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])[^\s]*$/.test(value) && value.length < 500 ? value : '/'
}

/**
 * preHandler for routes that need someone signed in. A page sends the browser to sign in and back;
 * the API answers 401. An expired or forged session cookie is told apart, so the message can say so.
 */
export async function requireViewer(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (request.viewer) return
  if (request.sessionRejected) throw new AppError('SESSION_EXPIRED')
  if (wantsJson(request)) throw new AppError('NOT_LOGGED_IN')
  await reply.redirect(`/logga-in?${new URLSearchParams({ returnTo: safeReturnPath(request.url) })}`, 303)
}

export function signedInViewer(request: FastifyRequest): Viewer {
  if (!request.viewer) throw new AppError('NOT_LOGGED_IN')
  return request.viewer
}

/**
 * The signed-in person's own id, for what is always theirs alone (the powers of attorney they give).
 * Routes that handle a person's errands, which someone may do for them, ask errandOf (errand.ts).
 */
export function viewerPersonId(request: FastifyRequest): string {
  const personId = signedInViewer(request).personId
  if (!personId) throw new AppError('PERSON_NOT_FOUND')
  return personId
}

/** preHandler for staff pages: signed in, with the role, at an agency. Others get 403. */
export function requireRole(role: string) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    await requireViewer(request, reply)
    if (reply.sent) return
    const viewer = request.viewer
    if (!viewer?.roles.includes(role) || !viewer.agencyId) throw new AppError('FORBIDDEN')
  }
}
