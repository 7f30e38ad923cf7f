// The decision letter as a PDF: the same content as the page – outcome, days or amounts, the facts
// and reasons with provisions, how it was decided and how to appeal – for the person to keep.
import PDFDocument from 'pdfkit'
import type { Translate } from '../../platform/i18n.ts'
import { benefitLetter } from './benefit-letter.ts'
import type { BenefitDecision } from './submit-benefit-application.ts'
import type { AssessmentDecision } from './submit-care-application.ts'
import type { VabDecision } from './submit-vab-application.ts'

export interface DecisionLetter {
  caseId: string
  lang: 'sv' | 'en'
  t: Translate
  agencyName: string
  serviceName: string
  applicantName: string
  outcome: string
  decidedAt: string
  decidedByCaseworker: boolean
  decision: (VabDecision & { caseworker?: { note: string } }) | BenefitDecision | AssessmentDecision
  /** For a needs assessment: the outcome in words, naming what was applied for. */
  assessmentOutcome?: string
  formatDate: (isoDate: string) => string
  formatMoney: (amount: number) => string
  formatNumber: (n: number) => string
}

/** The standard PDF fonts cover Latin-1 only; a few typographic characters are written plainly. */
const TYPOGRAPHIC = new Set(['\u2013', '\u2014', '\u2018', '\u2019', '\u201c', '\u201d', '\u2022', '\u2026'])
function latin1(text: string): string {
  return [...text.replace(/[\u2009\u202f]/g, '\u00a0').replace(/\u2212/g, '-')]
    .map((ch) => ((ch.codePointAt(0) ?? 0) <= 0xff || TYPOGRAPHIC.has(ch) ? ch : '?'))
    .join('')
}

const isBenefit = (d: DecisionLetter['decision']): d is BenefitDecision =>
  (d as BenefitDecision).kind === 'benefit'
const isAssessment = (d: DecisionLetter['decision']): d is AssessmentDecision =>
  (d as AssessmentDecision).kind === 'assessment'

export function renderDecisionPdf(letter: DecisionLetter): Promise<Buffer> {
  const { t, decision: d } = letter
  const doc = new PDFDocument({
    size: 'A4',
    margin: 56,
    info: {
      Title: `${t('decision.title')} – ${letter.serviceName}`,
      Author: letter.agencyName,
      Subject: letter.caseId,
    },
    lang: letter.lang === 'sv' ? 'sv-SE' : 'en-GB',
    pdfVersion: '1.7',
    tagged: true,
    displayTitle: true,
  })
  const chunks: Buffer[] = []
  doc.on('data', (c: Buffer) => chunks.push(c))
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)))
    doc.on('error', reject)
  })
  const text = (s: string, options: PDFKit.Mixins.TextOptions = {}) => doc.text(latin1(s), options)
  const heading = (s: string, size = 13) => {
    doc.moveDown(0.8).font('Helvetica-Bold').fontSize(size)
    text(s)
    doc.font('Helvetica').fontSize(10.5).moveDown(0.3)
  }

  doc.font('Helvetica-Bold').fontSize(11)
  text(letter.agencyName)
  doc.font('Helvetica').fontSize(9)
  text(`${t('case.number')}: ${letter.caseId}`)
  text(`${letter.formatDate(letter.decidedAt)}`)
  doc.moveDown(1.2).font('Helvetica-Bold').fontSize(18)
  text(`${t('decision.title')}: ${letter.serviceName}`)
  doc.font('Helvetica').fontSize(10.5).moveDown(0.5)
  text(letter.applicantName)
  if (isBenefit(d)) {
    writeBenefit(d)
    doc.end()
    return done
  }
  if (isAssessment(d)) {
    writeAssessment(d)
    doc.end()
    return done
  }
  doc.moveDown(0.8).font('Helvetica-Bold')
  text(
    t(`decision.outcome.${letter.outcome}`, {
      days: letter.formatNumber(d.daysCounted),
      amount: letter.formatMoney(d.totalAmount),
    }),
  )
  doc.font('Helvetica')

  heading(t('decision.days'))
  for (const day of d.days)
    text(
      `${letter.formatDate(day.date)} – ${t(`apply.fractions.${String(day.fraction).replace('.', '_')}`)} – ${t(`decision.day.${day.outcome}`)} – ${letter.formatMoney(day.amount)}`,
    )

  heading(t('decision.reasons'))
  for (const day of d.days) {
    doc.font('Helvetica-Bold')
    text(letter.formatDate(day.date))
    doc.font('Helvetica')
    for (const r of day.reasons) text(`• ${r[letter.lang]} (${r.legalReference})`, { indent: 10 })
    doc.moveDown(0.3)
  }
  if (d.caseworker) {
    heading(t('handle.note'))
    text(d.caseworker.note)
  }
  heading(t('decision.provisions'))
  text(d.provisions.join('; '))
  heading(t('decision.howDecided'))
  text(
    letter.decidedByCaseworker
      ? t('handle.decidedBy', { agency: letter.agencyName, date: letter.formatDate(letter.decidedAt) })
      : t('decision.automated', {
          ruleSet: d.ruleSet,
          version: d.version,
          date: letter.formatDate(letter.decidedAt),
        }),
  )
  heading(t('decision.appealTitle'))
  text(t('decision.appeal'))
  doc.end()
  return done

  function writeAssessment(decision: AssessmentDecision) {
    doc.moveDown(0.8).font('Helvetica-Bold')
    text(letter.assessmentOutcome ?? t(`decision.outcome.${letter.outcome}`))
    doc.font('Helvetica')
    if (decision.caseworker) {
      heading(t('decision.reasons'))
      text(decision.caseworker.note)
    }
    heading(t('decision.provisions'))
    text(decision.provisions.join('; '))
    heading(t('decision.howDecided'))
    text(
      letter.decidedByCaseworker
        ? t('handle.decidedBy', { agency: letter.agencyName, date: letter.formatDate(letter.decidedAt) })
        : t('decision.automated', {
            ruleSet: decision.ruleSet,
            version: decision.version,
            date: letter.formatDate(letter.decidedAt),
          }),
    )
    heading(t('decision.appealTitle'))
    text(t('care.appeal'))
  }

  function writeBenefit(decision: BenefitDecision) {
    const l = benefitLetter(
      decision,
      {
        status: 'decided',
        outcome: letter.outcome,
        decidedAt: letter.decidedAt,
        decidedBy: letter.decidedByCaseworker ? 'caseworker:' : 'rules:',
        agencyName: letter.agencyName,
      },
      letter.lang,
      t,
      { date: letter.formatDate, money: letter.formatMoney, number: letter.formatNumber },
    )
    doc.moveDown(0.8).font('Helvetica-Bold')
    text(l.headline)
    doc.font('Helvetica')
    if (l.amounts.length > 0) {
      heading(t('benefit.amounts'))
      for (const a of l.amounts) text(`${a.label}: ${a.value}`)
    }
    heading(t('benefit.facts'))
    for (const f of l.facts) text(`${f.label}: ${f.value}`)
    heading(t('decision.reasons'))
    for (const r of l.reasons) text(`• ${r.text} (${r.legalReference})`, { indent: 10 })
    if (l.note) {
      heading(t('handle.note'))
      text(l.note)
    }
    heading(t('decision.provisions'))
    text(l.provisions)
    heading(t('decision.howDecided'))
    text(l.howDecided ?? '')
    heading(t('decision.appealTitle'))
    text(l.appeal)
  }
}
