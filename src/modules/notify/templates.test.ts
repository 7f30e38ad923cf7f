import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { loadTemplates } from './templates.ts'

const templates = loadTemplates(
  fileURLToPath(new URL('./templates/', import.meta.url)),
  'https://samla.example',
)
const caseId = '0b6b9a7e-3a53-4a53-9f0e-4a2c3c1e2d11'

describe('the notification templates', () => {
  it('remind with what, by when and why, in the person’s language, and lead to the reminders', () => {
    const data = {
      titleSv: 'Lämna din inkomstdeklaration',
      reasonSv: 'Du ser detta för att inkomstdeklarationen går att lämna från den 17 mars 2026.',
      deadlineSv: '4 maj 2026',
      titleEn: 'File your income tax return',
      reasonEn: 'You see this because the income tax return can be filed from 17 March 2026.',
      deadlineEn: '4 May 2026',
    }
    const sv = templates.render('reminder', 'sv', data)
    assert.equal(sv?.subject, 'Påminnelse: Lämna din inkomstdeklaration')
    assert.match(sv?.text ?? '', /Sista dag är den 4 maj 2026\.\n\nDu ser detta för att/)
    assert.ok((sv?.sms.length ?? 999) <= 160)
    assert.equal(sv?.push.url, 'https://samla.example/mina-sidor/paminnelser')
    assert.match(templates.render('reminder', 'en', data)?.text ?? '', /You see this because/)
  })

  it('have Swedish and English words for every channel, and an SMS that fits one message', () => {
    assert.deepEqual(templates.names(), ['case-decision', 'case-request', 'reminder'])
    for (const name of ['case-decision', 'case-request'])
      for (const lang of ['sv', 'en'] as const) {
        const m = templates.render(name, lang, { caseId })
        assert.ok(m, `${name} ${lang}`)
        assert.ok(m.subject && m.text && m.html && m.push.title && m.push.body, `${name} ${lang}`)
        assert.ok(m.sms.length <= 160, `${name} ${lang}: the SMS has ${m.sms.length} characters`)
        assert.ok(m.sms.includes(`https://samla.example/mina-arenden/${caseId}`))
        assert.equal(m.push.url, `https://samla.example/mina-arenden/${caseId}`)
      }
  })

  it('say where to read and where to change the preferences, in the person’s language', () => {
    const sv = templates.render('case-decision', 'sv', { caseId })
    assert.match(sv?.text ?? '', /Du har fått ett beslut/)
    assert.match(sv?.text ?? '', /Läs beslutet: https:\/\/samla\.example\/mina-arenden\//)
    assert.match(sv?.text ?? '', /https:\/\/samla\.example\/mina-sidor\/aviseringar/)
    assert.match(templates.render('case-decision', 'en', { caseId })?.subject ?? '', /You have a decision/)
  })

  it('escape what the data brings into the HTML', () => {
    const m = templates.render('case-decision', 'sv', { caseId: '"><script>alert(1)</script>' })
    assert.ok(m && !m.html.includes('<script>'))
    assert.match(m?.html ?? '', /&lt;script&gt;/)
  })

  it('know no template that is not in the folder', () => {
    assert.equal(templates.render('nothing', 'sv', {}), undefined)
  })
})
