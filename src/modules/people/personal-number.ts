import PersonnummerModule from 'personnummer'

// The package is CommonJS with ES-module types: under Node's interop its default export is the
// class itself, while TypeScript sees the module object.
type PersonnummerClass = (typeof PersonnummerModule)['default']
const Personnummer = ((PersonnummerModule as { default?: PersonnummerClass }).default ??
  PersonnummerModule) as PersonnummerClass

/**
 * Normalises a Swedish personal identity number (personnummer or samordningsnummer) to its twelve
 * digits, or returns undefined when it is not one: wrong form, impossible date or wrong check digit.
 */
export function normalisePersonalNumber(value: string): string | undefined {
  const trimmed = value.trim()
  if (!/^(\d{6}|\d{8})[-+ ]?\d{4}$/.test(trimmed)) return undefined
  if (!Personnummer.valid(trimmed)) return undefined
  return Personnummer.parse(trimmed).format(true)
}

/** 19970514-2389: the form people read. */
export function formatPersonalNumber(twelveDigits: string): string {
  return `${twelveDigits.slice(0, 8)}-${twelveDigits.slice(8)}`
}

/** The Luhn check digit over the ten-digit form's first nine digits (YYMMDDNNN). */
export function luhnCheckDigit(nineDigits: string): number {
  let sum = 0
  for (let i = 0; i < nineDigits.length; i++) {
    const product = Number(nineDigits[i]) * (i % 2 === 0 ? 2 : 1)
    sum += product > 9 ? product - 9 : product
  }
  return (10 - (sum % 10)) % 10
}
