// The rule sets in the open: every rule with its provision and explanation, every dated parameter
// with how sure it is, and a form built from the rule set's inputs that evaluates them and shows
// the reasons – for service owners, and for anyone who wants to know how Samla decides.
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { AppError } from '../../platform/errors.ts'
import type { Views } from '../../web/views.ts'
import type { CompiledRuleSet, Inputs } from './compile-rule-set.ts'
import type { Input } from './rule-set-schema.ts'

function parseInput(
  name: string,
  input: Input,
  raw: string | undefined,
  problems: Array<{ field: string; message: string }>,
  t: (k: string, p?: Record<string, string | number>) => string,
) {
  const value = (raw ?? '').trim()
  switch (input.type) {
    case 'boolean':
      return value === 'true'
    case 'number':
    case 'integer': {
      const n = Number(value.replace(',', '.'))
      if (value === '' || !Number.isFinite(n) || (input.type === 'integer' && !Number.isInteger(n)))
        problems.push({ field: name, message: t('rules.problems.number') })
      else if (
        (input.minimum !== undefined && n < input.minimum) ||
        (input.maximum !== undefined && n > input.maximum)
      )
        problems.push({
          field: name,
          message: t('rules.problems.range', { min: input.minimum ?? '–', max: input.maximum ?? '–' }),
        })
      return n
    }
    case 'date':
      if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value)))
        problems.push({ field: name, message: t('rules.problems.date') })
      return value
    default:
      if (input.oneOf && !input.oneOf.includes(value))
        problems.push({ field: name, message: t('rules.problems.choice') })
      return value
  }
}

export async function rulesPages(
  app: FastifyInstance,
  deps: { ruleSets: Map<string, CompiledRuleSet>; views: Views; today: () => string },
) {
  const { ruleSets, views } = deps

  app.get('/regler', async (request, reply) =>
    views.page(request, reply, '/modules/rules/views/rule-sets', {
      title: request.t('rules.title'),
      ruleSets: [...ruleSets.values()].map((r) => ({
        id: r.id,
        version: r.version,
        title: r.file.title,
        description: r.file.description,
        rules: r.file.rules.length,
      })),
    }),
  )

  const show = async (
    request: import('fastify').FastifyRequest,
    reply: import('fastify').FastifyReply,
    id: string,
    values: Record<string, string>,
  ) => {
    const ruleSet = ruleSets.get(id)
    if (!ruleSet) throw new AppError('NOT_FOUND')
    const file = ruleSet.file
    const problems: Array<{ field: string; message: string }> = []
    let evaluation: ReturnType<CompiledRuleSet['evaluateWithTrace']> | undefined
    const date = values.datum ?? ''
    if (Object.keys(values).length > 0) {
      const inputs: Inputs = {}
      for (const [name, input] of Object.entries(file.inputs))
        inputs[name] = parseInput(name, input, values[name], problems, request.t)
      if (!/^\d{4}-\d{2}-\d{2}$/.test(date))
        problems.push({ field: 'datum', message: request.t('rules.problems.date') })
      if (problems.length === 0) {
        try {
          evaluation = ruleSet.evaluateWithTrace(inputs, date)
        } catch (error) {
          problems.push({ field: 'datum', message: (error as Error).message })
        }
      }
    }
    return views.page(
      request,
      reply,
      '/modules/rules/views/rule-set',
      {
        title: file.title[request.lang],
        file,
        values: { datum: deps.today(), ...values },
        problems,
        evaluation,
        explain: (entry: Parameters<CompiledRuleSet['explain']>[0]) => ruleSet.explain(entry, request.lang),
        outputs: file.rules.filter((r) => r.output).map((r) => r.id),
      },
      problems.length > 0 ? 422 : 200,
    )
  }

  const Params = Type.Object({ id: Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', maxLength: 60 }) })
  app.get(
    '/regler/:id',
    {
      schema: {
        params: Params,
        querystring: Type.Record(Type.String({ maxLength: 60 }), Type.String({ maxLength: 100 }), {
          maxProperties: 60,
        }),
      },
    },
    async (request, reply) =>
      show(request, reply, (request.params as { id: string }).id, request.query as Record<string, string>),
  )
}
