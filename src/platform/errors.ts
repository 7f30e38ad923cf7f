// The catalogue of errors Samla answers with: a stable code, an HTTP status and a message key
// (errors.<code> in the message files, in Swedish and English).
export const ERRORS = {
  BAD_REQUEST: 400,
  INVALID_INPUT: 400,
  INVALID_DATE: 400,
  INVALID_PERIOD: 400,
  UNKNOWN_MUNICIPALITY: 400,
  LOGIN_FAILED: 400,
  LOGIN_EXPIRED: 400,
  CSRF_INVALID: 403,
  NOT_YOUR_CHILD: 422,
  INVALID_APPLICATION: 422,
  INVALID_PREFERENCES: 422,
  INVALID_PUSH_SUBSCRIPTION: 400,
  IDEMPOTENCY_CONFLICT: 409,
  CASE_NOT_FOUND: 404,
  CASE_ALREADY_DECIDED: 409,
  CASE_NOT_WAITING: 409,
  INVALID_DOCUMENT: 422,
  INVALID_CARE_DAY: 422,
  CASE_NOT_DECIDED: 409,
  REVIEW_TEXT_TOO_SHORT: 422,
  INVALID_DECISION: 422,
  NOT_LOGGED_IN: 401,
  SESSION_EXPIRED: 401,
  FORBIDDEN: 403,
  ACTING_FOR_ENDED: 403,
  ACTING_FOR_NOT_VALID: 403,
  ACTING_FOR_OUT_OF_SCOPE: 403,
  ERRAND_CHANGED: 409,
  INVALID_POWER_OF_ATTORNEY: 422,
  POWER_OF_ATTORNEY_NOT_FOUND: 404,
  NOT_FOUND: 404,
  CONSENT_NOT_FOUND: 404,
  INVALID_CONSENT: 422,
  CONSENT_MISSING: 409,
  CALENDAR_TOO_LARGE: 413,
  CALENDAR_INVALID: 422,
  CALENDAR_TOO_COMPLEX: 422,
  CALENDAR_LINK_NOT_ALLOWED: 422,
  CALENDAR_LINK_FAILED: 422,
  OFFER_NOT_FOUND: 404,
  OFFER_NOT_SCHEDULED: 409,
  INVALID_REMINDER_DAY: 422,
  UNKNOWN_REGISTER_EVENT_KIND: 422,
  INVALID_REGISTER_EVENT: 422,
  REGISTER_EVENT_PERSON_NOT_FOUND: 422,
  REGISTER_EVENT_PERSON_EXISTS: 409,
  REGISTER_EVENT_CONFLICT: 409,
  INVALID_MOVE: 422,
  MOVE_ALREADY_REPORTED: 409,
  LIFE_EVENT_NOT_FOUND: 404,
  SERVICE_NOT_FOUND: 404,
  PERSON_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  TOO_MANY_REQUESTS: 429,
  INTERNAL: 500,
  NOT_READY: 503,
} as const satisfies Record<string, number>

export type ErrorCode = keyof typeof ERRORS

export class AppError extends Error {
  readonly code: ErrorCode
  readonly status: number
  readonly params: Record<string, string | number> | undefined
  readonly fields: Array<{ field: string; message: string }> | undefined

  constructor(
    code: ErrorCode,
    options: {
      params?: Record<string, string | number>
      fields?: Array<{ field: string; message: string }>
      cause?: unknown
    } = {},
  ) {
    super(code, { cause: options.cause })
    this.code = code
    this.status = ERRORS[code]
    this.params = options.params
    this.fields = options.fields
  }
}

export function isErrorCode(value: string): value is ErrorCode {
  return Object.hasOwn(ERRORS, value)
}
