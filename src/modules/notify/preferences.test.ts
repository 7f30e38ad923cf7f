import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { checkPreferences, normaliseEmail, normaliseMobile } from './preferences.ts'

describe('a person’s notification preferences', () => {
  it('keep the channels in the order the person chose them, with what each needs', () => {
    const checked = checkPreferences({
      channels: ['sms', 'email'],
      language: 'en',
      quietHours: { from: '21:00', until: '07:30' },
      email: ' erik@example.se ',
      mobile: '070-123 45 67',
    })
    assert.deepEqual(checked, {
      kind: 'valid',
      preferences: {
        channels: ['sms', 'email'],
        language: 'en',
        quietHours: { from: '21:00', until: '07:30' },
        preferredHours: null,
        email: 'erik@example.se',
        mobile: '+46701234567',
        copyToRepresentatives: false,
      },
    })
  })

  it('may choose no channel at all: then only the inbox in Samla tells', () => {
    const checked = checkPreferences({ channels: [], language: 'sv', quietHours: { from: '', until: '' } })
    assert.equal(checked.kind, 'valid')
  })

  it('name every problem, each with its field', () => {
    const checked = checkPreferences({
      channels: ['email', 'fax', 'email', 'sms'],
      language: 'de',
      quietHours: { from: '25:00', until: '' },
      email: '',
      mobile: '12345',
    })
    assert.equal(checked.kind, 'invalid')
    assert.deepEqual(checked.kind === 'invalid' ? checked.problems : [], [
      { field: 'channels', problem: 'unknown-channel' },
      { field: 'channels', problem: 'repeated-channel' },
      { field: 'language', problem: 'unknown-language' },
      { field: 'quietFrom', problem: 'invalid-time' },
      { field: 'quietUntil', problem: 'both-times-needed' },
      { field: 'email', problem: 'email-needed' },
      { field: 'mobile', problem: 'invalid-mobile' },
    ])
  })

  it('want an e-mail address for e-mail and a mobile number for SMS', () => {
    const checked = checkPreferences({ channels: ['email', 'sms'], language: 'sv' })
    assert.deepEqual(checked.kind === 'invalid' ? checked.problems : [], [
      { field: 'email', problem: 'email-needed' },
      { field: 'mobile', problem: 'mobile-needed' },
    ])
  })

  it('refuse quiet hours that begin and end at the same time', () => {
    const checked = checkPreferences({
      channels: [],
      language: 'sv',
      quietHours: { from: '22:00', until: '22:00' },
    })
    assert.deepEqual(checked.kind === 'invalid' ? checked.problems : [], [
      { field: 'quietUntil', problem: 'same-times' },
    ])
  })

  it('keep the hours a person prefers reminders in, from and until within one day', () => {
    const prefer = (from: string, until: string) =>
      checkPreferences({ channels: [], language: 'sv', preferredHours: { from, until } })
    const evening = prefer('18:00', '20:00')
    assert.deepEqual(evening.kind === 'valid' && evening.preferences.preferredHours, {
      from: '18:00',
      until: '20:00',
    })
    const over = prefer('22:00', '06:00')
    assert.deepEqual(over.kind === 'invalid' ? over.problems : [], [
      { field: 'preferredUntil', problem: 'until-before-from' },
    ])
    const half = prefer('18:00', '')
    assert.deepEqual(half.kind === 'invalid' ? half.problems : [], [
      { field: 'preferredUntil', problem: 'both-times-needed' },
    ])
  })
})

describe('addresses', () => {
  it('take an e-mail address with one @ and a domain', () => {
    assert.equal(normaliseEmail('anna.berg@linkoping.se'), 'anna.berg@linkoping.se')
    for (const bad of [
      'anna',
      'anna@',
      '@linkoping.se',
      'anna@linkoping',
      'an na@x.se',
      'a@b@c.se',
      `${'a'.repeat(65)}@x.se`,
    ])
      assert.equal(normaliseEmail(bad), undefined, bad)
  })

  it('write Swedish mobile numbers as +46 and refuse landlines and short numbers', () => {
    for (const written of [
      '0701234567',
      '070-123 45 67',
      '+46 70 123 45 67',
      '0046701234567',
      '(070) 123-45-67',
    ])
      assert.equal(normaliseMobile(written), '+46701234567', written)
    assert.equal(normaliseMobile('+358401234567'), '+358401234567')
    for (const bad of ['08-123 456 78', '+4681234567', '070123', 'sju', '+46701234567890'])
      assert.equal(normaliseMobile(bad), undefined, bad)
  })
})
