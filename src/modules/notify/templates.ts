// Notification templates: one YAML file per kind of message in templates/, Swedish and English
// side by side, with the words for e-mail, SMS and push. The e-mail's HTML comes from one Eta
// layout (templates/email.eta), which escapes every value; {name} in a text is filled from the
// notification's data.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Eta } from 'eta'
import Type, { type Static, type TSchema } from 'typebox'
import Value from 'typebox/value'
import { parse } from 'yaml'

const Words = Type.Object(
  {
    subject: Type.String({ minLength: 1 }),
    email: Type.String({ minLength: 1 }),
    action: Type.String({ minLength: 1 }),
    sms: Type.String({ minLength: 1 }),
    push: Type.Object(
      { title: Type.String({ minLength: 1 }), body: Type.String({ minLength: 1 }) },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
)

const TemplateFile = Type.Object(
  {
    /** Where in Samla the message leads, such as /mina-arenden/{caseId}. */
    path: Type.String({ pattern: '^/' }),
    sv: Words,
    en: Words,
  },
  { additionalProperties: false },
)

const CommonWords = Type.Object({
  why: Type.String(),
  change: Type.String(),
  signature: Type.String(),
  copyOf: Type.String(),
})

/** The data key that makes a message a copy to someone acting for the person: the person's name. */
export const COPY_OF = 'copyOf'
const CommonFile = Type.Object({ sv: CommonWords, en: CommonWords }, { additionalProperties: false })

export type TemplateDefinition = Static<typeof TemplateFile>

export interface RenderedMessage {
  subject: string
  text: string
  html: string
  sms: string
  push: { title: string; body: string; url: string }
}

export type Templates = ReturnType<typeof loadTemplates>

const fill = (text: string, data: Record<string, string>) =>
  text.replace(/\{(\w+)\}/g, (whole, name: string) => data[name] ?? whole)

/** Reads and checks every template file; throws one error naming all problems. */
export function loadTemplates(dir: string, publicUrl: string) {
  const problems: string[] = []
  const check = <T>(schema: TSchema, value: unknown, file: string): T | undefined => {
    if (Value.Check(schema, value)) return value as T
    for (const e of Value.Errors(schema, value).slice(0, 5))
      problems.push(`${file}${e.instancePath}: ${e.message}`)
    return undefined
  }
  const read = (file: string) => parse(readFileSync(join(dir, file), 'utf8')) as unknown
  const common = check<Static<typeof CommonFile>>(CommonFile, read('common.yaml'), 'common.yaml')
  const definitions = new Map<string, TemplateDefinition>()
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') && f !== 'common.yaml')
    .sort()) {
    const definition = check<TemplateDefinition>(TemplateFile, read(file), file)
    if (definition) definitions.set(file.replace(/\.yaml$/, ''), definition)
  }
  if (problems.length > 0 || !common) throw new Error(`notification templates:\n${problems.join('\n')}`)

  const eta = new Eta({ views: dir, cache: true, autoEscape: true, autoTrim: false })
  const preferencesLink = `${publicUrl}/mina-sidor/aviseringar`

  /** The message in the language, for every channel. Undefined for a template that does not exist. */
  function render(
    name: string,
    language: 'sv' | 'en',
    data: Record<string, string>,
  ): RenderedMessage | undefined {
    const definition = definitions.get(name)
    if (!definition) return undefined
    const words = definition[language]
    const end = common?.[language] as Static<typeof CommonWords>
    const link = `${publicUrl}${fill(definition.path, data)}`
    const values = { ...data, link }
    // A copy to someone acting for the person says first whose message it is.
    const principal = data[COPY_OF]
    const copyLine = principal ? fill(end.copyOf, { principal }) : undefined
    const withCopyLine = (text: string) => (copyLine ? `${copyLine}. ${text}` : text)
    const paragraphs = [
      ...(copyLine ? [`${copyLine}.`] : []),
      ...fill(words.email, values)
        .split(/\n\s*\n/)
        .map((p) => p.replace(/\s*\n\s*/g, ' ').trim())
        .filter(Boolean),
    ]
    const subject = fill(words.subject, values)
    const action = fill(words.action, values)
    const text = [
      ...paragraphs,
      `${action}: ${link}`,
      `-- \n${end.why}\n${end.change} ${preferencesLink}\n${end.signature}`,
    ].join('\n\n')
    const html = eta.render('./email', {
      lang: language,
      subject,
      paragraphs,
      action,
      link,
      why: end.why,
      change: end.change,
      preferencesLink,
      signature: end.signature,
    })
    return {
      subject,
      text,
      html,
      sms: withCopyLine(fill(words.sms, values)),
      push: {
        title: fill(words.push.title, values),
        body: withCopyLine(fill(words.push.body, values)),
        url: link,
      },
    }
  }

  return { render, names: () => [...definitions.keys()] }
}
