import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'

export const LANGUAGES = ['sv', 'en'] as const
export type Language = (typeof LANGUAGES)[number]
export const DEFAULT_LANGUAGE: Language = 'sv'

export type Messages = Record<string, string>
export type Translate = (key: string, params?: Record<string, string | number>) => string

export function isLanguage(value: unknown): value is Language {
  return LANGUAGES.includes(value as Language)
}

/** Flattens nested YAML ({ plan: { title: … } }) to dotted keys (plan.title). */
function flatten(value: unknown, prefix: string, out: Messages): Messages {
  if (typeof value === 'string') out[prefix] = value
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out)
  return out
}

export function loadMessages(dir: string): Record<Language, Messages> {
  const read = (lang: Language) => flatten(parse(readFileSync(join(dir, `${lang}.yaml`), 'utf8')), '', {})
  return { sv: read('sv'), en: read('en') }
}

export function createTranslator(messages: Messages): Translate {
  return (key, params) => {
    const text = messages[key]
    if (text === undefined) throw new Error(`No message "${key}"`)
    return params ? text.replace(/\{(\w+)\}/g, (m, name: string) => String(params[name] ?? m)) : text
  }
}

/** Picks sv or en from an Accept-Language header; Swedish when neither is asked for. */
export function languageFromHeader(header: string | undefined): Language {
  if (!header) return DEFAULT_LANGUAGE
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag = '', ...rest] = part.trim().split(';')
      const q = rest.find((r) => r.trim().startsWith('q='))
      return { lang: tag.toLowerCase().slice(0, 2), q: q ? Number(q.trim().slice(2)) : 1 }
    })
    .filter((r) => isLanguage(r.lang) && r.q > 0)
    .sort((a, b) => b.q - a.q)
  return (ranked[0]?.lang as Language | undefined) ?? DEFAULT_LANGUAGE
}
