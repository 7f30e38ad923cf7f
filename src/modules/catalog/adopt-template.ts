import type { Adoption, Agency, Service, ServiceTemplate, Text } from './catalog-schema.ts'

function formatValue(value: string | number, type: string, lang: 'sv' | 'en'): string {
  if (type === 'money' && typeof value === 'number')
    return `${new Intl.NumberFormat(lang === 'sv' ? 'sv-SE' : 'en-GB').format(value)} kr`
  return String(value)
}

/**
 * A national template as one municipality offers it: the municipality becomes the competent
 * authority and its parameters fill the {placeholders} of every text.
 */
export function applyAdoption(template: ServiceTemplate, adoption: Adoption, agency: Agency): Service {
  const fill = (text: Text): Text => ({
    sv: fillOne(text.sv, 'sv'),
    en: fillOne(text.en, 'en'),
  })
  const fillOne = (s: string, lang: 'sv' | 'en') =>
    s.replace(/\{(\w+)\}/g, (match, key: string) => {
      if (key === 'agency') return agency.name[lang]
      const parameter = template.parameters.find((p) => p.key === key)
      const value = adoption.parameters[key]
      return parameter && value !== undefined ? formatValue(value, parameter.type, lang) : match
    })
  return {
    id: template.id,
    name: fill(template.name),
    description: fill(template.description),
    competentAuthority: agency.id,
    automatic: template.automatic,
    legalResources: template.legalResources,
    requirements: template.requirements.map(fill),
    evidence: template.evidence.map(fill),
    output: fill(template.output),
    cost: { ...template.cost, description: fill(template.cost.description) },
    processingTime: { ...template.processingTime, description: fill(template.processingTime.description) },
    channels: template.channels.map((c) => ({
      ...c,
      description: fill(c.description),
      ...(c.url ? { url: fillOne(c.url, 'sv') } : {}),
    })),
  }
}
