import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { AppError } from '../../platform/errors.ts'
import { errandOf, readerOf } from '../../platform/http/errand.ts'
import { requireViewer, signedInViewer } from '../../platform/http/guards.ts'
import type { Views } from '../../web/views.ts'
import type { People, PersonData } from './index.ts'
import { formatPersonalNumber } from './personal-number.ts'

const tags = ['Personer / People']
/** The profile is personal details: a power of attorney must cover them. */
const PERSONAL_DETAILS = { area: 'personal-details' }

export const Profile = Type.Object({
  id: Type.String({ format: 'uuid' }),
  personalNumber: Type.String(),
  givenName: Type.String(),
  familyName: Type.String(),
  birthDate: Type.String({ format: 'date' }),
  address: Type.Object({
    municipalityId: Type.String(),
    street: Type.String(),
    postalCode: Type.String(),
    city: Type.String(),
  }),
  civilStatus: Type.String(),
  occupation: Type.Union([
    Type.Object({ kind: Type.String(), employer: Type.Optional(Type.String()) }),
    Type.Null(),
  ]),
  family: Type.Array(
    Type.Object({
      personId: Type.String({ format: 'uuid' }),
      kind: Type.String(),
      custody: Type.Boolean(),
      givenName: Type.String(),
      familyName: Type.String(),
      birthDate: Type.String({ format: 'date' }),
    }),
  ),
})

/** What leaves Samla about a person: their own profile, without the income figures. */
function presentProfile(p: PersonData) {
  if (!p.identity || !p.address || !p.civilStatus || !p.family)
    throw new Error('profile needs identity, address and family')
  return {
    id: p.id,
    ...p.identity,
    address: p.address,
    civilStatus: p.civilStatus,
    occupation: p.occupation
      ? { kind: p.occupation.kind, ...(p.occupation.employer ? { employer: p.occupation.employer } : {}) }
      : null,
    family: p.family,
  }
}

export async function peopleApi(app: FastifyInstance, deps: { people: People }): Promise<void> {
  const { people } = deps

  app.get(
    '/api/v1/me',
    {
      preHandler: requireViewer,
      schema: {
        tags,
        summary: 'Den inloggade / Who is signed in',
        response: {
          200: Type.Object({
            subject: Type.String(),
            name: Type.String(),
            personId: Type.Union([Type.String(), Type.Null()]),
            roles: Type.Array(Type.String()),
            agencyId: Type.Union([Type.String(), Type.Null()]),
            assuranceLevel: Type.Union([Type.String(), Type.Null()]),
          }),
        },
      },
    },
    async (request) => {
      const v = signedInViewer(request)
      return {
        subject: v.subject,
        name: v.name,
        personId: v.personId ?? null,
        roles: v.roles,
        agencyId: v.agencyId ?? null,
        assuranceLevel: v.assuranceLevel ?? null,
      }
    },
  )

  app.get(
    '/api/v1/persons/:personId',
    {
      preHandler: requireViewer,
      schema: {
        tags,
        summary:
          'En persons profil / A person’s profile: one’s own, or of someone one acts for (personal details)',
        params: Type.Object({ personId: Type.String({ format: 'uuid' }) }),
        response: { 200: Profile },
      },
    },
    async (request) => {
      const { personId } = request.params as { personId: string }
      const errand = await errandOf(request, PERSONAL_DETAILS, { personId })
      const person = await people.readPerson({ ...readerOf(errand), purpose: 'profile' })
      if (!person) throw new AppError('PERSON_NOT_FOUND')
      return presentProfile(person)
    },
  )
}

export async function peoplePages(
  app: FastifyInstance,
  deps: {
    people: People
    views: Views
    municipalityName: (id: string, lang: 'sv' | 'en') => Promise<string>
  },
) {
  const { people, views } = deps
  app.get('/mina-sidor/profil', { preHandler: requireViewer }, async (request, reply) => {
    const viewer = signedInViewer(request)
    const person = viewer.personId
      ? await people.readPerson({
          ...readerOf(await errandOf(request, PERSONAL_DETAILS)),
          purpose: 'profile',
        })
      : undefined
    const profile = person ? presentProfile(person) : undefined
    return views.page(request, reply, '/modules/people/views/profile', {
      title: request.t('profile.title'),
      profile,
      personalNumber: profile ? formatPersonalNumber(profile.personalNumber) : undefined,
      municipality: profile
        ? await deps.municipalityName(profile.address.municipalityId, request.lang)
        : undefined,
    })
  })
}
