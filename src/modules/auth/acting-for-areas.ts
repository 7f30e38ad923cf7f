// The areas a power of attorney can cover, each with the catalogue's services it opens. A route
// names the area it touches (errandOf(request, { area })), a case is reached through its service.
// A guardian's right covers every area.

export interface ActingForArea {
  name: { sv: string; en: string }
  /** Services in the catalogue whose cases and applications the area opens. */
  services: readonly string[]
}

export const ACTING_FOR_AREAS = {
  'elderly-care': {
    name: { sv: 'Äldreomsorg och hemtjänst', en: 'Elderly care and home help' },
    services: ['hemtjanst'],
  },
  'housing-supplement': {
    name: { sv: 'Bostadstillägg för pensionärer', en: 'Housing supplement for pensioners' },
    services: ['bostadstillagg-for-pensionarer'],
  },
  'transport-service': {
    name: { sv: 'Färdtjänst och parkeringstillstånd', en: 'Transport service and parking permits' },
    services: ['fardtjanst', 'parkeringstillstand-for-rorelsehindrade'],
  },
  pension: {
    name: { sv: 'Pension och efterlevandepension', en: 'Pension and survivor’s pension' },
    services: ['efterlevandepension'],
  },
  'parental-benefits': {
    name: { sv: 'Föräldrapenning, vab och barnbidrag', en: 'Parental benefit, VAB and child allowance' },
    services: [
      'foraldrapenning',
      'tillfallig-foraldrapenning-vab',
      'tillfallig-foraldrapenning-10-dagar',
      'barnbidrag',
      'graviditetspenning',
    ],
  },
  'personal-details': {
    name: { sv: 'Personuppgifter och personliga planer', en: 'Personal details and personal plans' },
    services: [],
  },
} as const satisfies Record<string, ActingForArea>

export type AreaId = keyof typeof ACTING_FOR_AREAS
export const AREA_IDS = Object.keys(ACTING_FOR_AREAS) as AreaId[]

export function isAreaId(value: string): value is AreaId {
  return Object.hasOwn(ACTING_FOR_AREAS, value)
}

/** The services a set of areas opens. */
export function servicesOf(areas: readonly string[]): string[] {
  return [...new Set(areas.filter(isAreaId).flatMap((a) => ACTING_FOR_AREAS[a].services))]
}
