// The schemas of what the consent API answers, shared by its route files.
import { Type } from 'typebox'

export const ConsentSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  recipientAgencyId: Type.String(),
  purpose: Type.String(),
  categories: Type.Array(Type.String()),
  validFrom: Type.String({ format: 'date' }),
  validThrough: Type.String({ format: 'date', description: 'The last day the consent is in force' }),
  givenAt: Type.String({ format: 'date-time' }),
  givenBy: Type.String({ format: 'uuid' }),
  reference: Type.Union([Type.String(), Type.Null()]),
  withdrawnAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  status: Type.Union([
    Type.Literal('in-force'),
    Type.Literal('withdrawn'),
    Type.Literal('expired'),
    Type.Literal('not-yet'),
  ]),
})
