import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { ERRORS } from '../../platform/errors.ts'
import { loadMessages } from '../../platform/i18n.ts'

const messages = loadMessages(fileURLToPath(new URL('./', import.meta.url)))

describe('the message files', () => {
  it('have every key in both Swedish and English', () => {
    const sv = Object.keys(messages.sv)
    const en = Object.keys(messages.en)
    assert.deepEqual(
      sv.filter((k) => !en.includes(k)),
      [],
      'missing in en.yaml',
    )
    assert.deepEqual(
      en.filter((k) => !sv.includes(k)),
      [],
      'missing in sv.yaml',
    )
  })

  it('have a message for every error code', () => {
    for (const code of Object.keys(ERRORS)) {
      assert.ok(messages.sv[`errors.${code}`], `errors.${code} in sv.yaml`)
      assert.ok(messages.en[`errors.${code}`], `errors.${code} in en.yaml`)
    }
  })
})
