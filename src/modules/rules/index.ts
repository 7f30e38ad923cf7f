// rules: rules as code. Rule sets are files in data/rules (readable by a service owner), compiled
// to JavaScript once at load; an evaluation gives the result and, when asked, a trace with the
// provisions and values that decided it. Pure: no I/O after loading.
export type {
  CompiledRuleSet,
  Evaluation,
  Inputs,
  Outputs,
  TracedEvaluation,
  TraceEntry,
} from './compile-rule-set.ts'
export { compileRuleSet, RuleSetError } from './compile-rule-set.ts'
export { type LoadedRuleSet, loadRuleSets, type RuleTestResult, runRuleTests } from './load-rule-sets.ts'
export type { RuleSetFile, RuleTestCase } from './rule-set-schema.ts'
export { rulesPages } from './rules-pages.ts'
