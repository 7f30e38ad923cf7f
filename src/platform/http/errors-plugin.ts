import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { AppError, type ErrorCode } from '../errors.ts'

export interface ErrorBody {
  error: {
    code: ErrorCode
    status: number
    message: string
    fields?: Array<{ field: string; message: string }>
  }
}

export type ErrorPageRenderer = (
  request: FastifyRequest,
  reply: FastifyReply,
  body: ErrorBody['error'],
) => Promise<unknown>

const BY_STATUS: Record<number, ErrorCode> = {
  400: 'BAD_REQUEST',
  401: 'NOT_LOGGED_IN',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'TOO_MANY_REQUESTS',
  503: 'NOT_READY',
}

/** Answers JSON to API clients and a page to people. */
export function wantsJson(request: FastifyRequest): boolean {
  return request.url.startsWith('/api/') || request.url === '/healthz'
}

function fieldName(instancePath: string, params: Record<string, unknown> | undefined): string {
  const missing = params?.missingProperty
  const path = instancePath.replace(/^\//, '').replaceAll('/', '.')
  return typeof missing === 'string' ? (path ? `${path}.${missing}` : missing) : path || '(body)'
}

function toAppError(error: FastifyError): AppError {
  if (error instanceof AppError) return error
  if (error.validation) {
    return new AppError('INVALID_INPUT', {
      fields: error.validation.map((v) => ({
        field: `${error.validationContext ?? 'body'}.${fieldName(v.instancePath, v.params as Record<string, unknown>)}`,
        message: v.message ?? 'invalid',
      })),
    })
  }
  if (error.code === 'FST_CSRF_INVALID_TOKEN' || error.code === 'FST_CSRF_MISSING_SECRET')
    return new AppError('CSRF_INVALID')
  const status = error.statusCode ?? 500
  const code =
    status >= 400 && status < 500
      ? (BY_STATUS[status] ?? 'BAD_REQUEST')
      : status === 503
        ? 'NOT_READY'
        : 'INTERNAL'
  return new AppError(code, { cause: error })
}

/**
 * One error handler for the whole server: every failure becomes a catalogued code with a status
 * and a message in the person's language; unexpected ones are logged and answered without detail.
 */
export const errorsPlugin = fp(
  async (app: FastifyInstance, opts: { renderErrorPage: ErrorPageRenderer }) => {
    const answer = async (request: FastifyRequest, reply: FastifyReply, error: AppError) => {
      const body: ErrorBody['error'] = {
        code: error.code,
        status: error.status,
        message: request.t(`errors.${error.code}`, error.params),
        ...(error.fields ? { fields: error.fields } : {}),
      }
      if (wantsJson(request)) return reply.status(error.status).send({ error: body })
      return opts.renderErrorPage(request, reply, body)
    }
    app.setErrorHandler(async (raw: FastifyError, request, reply) => {
      const error = toAppError(raw)
      if (error.status >= 500) request.log.error({ err: raw }, 'request failed')
      else request.log.info({ code: error.code, reason: raw.message }, 'request refused')
      return answer(request, reply, error)
    })
    app.setNotFoundHandler(async (request, reply) => answer(request, reply, new AppError('NOT_FOUND')))
  },
  { name: 'errors', dependencies: ['request-context'] },
)
