import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { TSchema } from 'typebox'
import Value from 'typebox/value'
import { parse } from 'yaml'
import { type CompiledRuleSet, compileRuleSet, RuleSetError } from './compile-rule-set.ts'
import {
  type RuleSetFile,
  RuleSetFile as RuleSetFileSchema,
  type RuleTestCase,
  RuleTestCase as RuleTestCaseSchema,
} from './rule-set-schema.ts'

export interface LoadedRuleSet {
  ruleSet: CompiledRuleSet
  tests: RuleTestCase[]
}

function check<T>(schema: TSchema, value: unknown, where: string): T {
  if (Value.Check(schema, value)) return value as T
  const problems = Value.Errors(schema, value)
    .slice(0, 5)
    .map((e) => `${where}${e.instancePath}: ${e.message}`)
  throw new RuleSetError(problems.join('\n'))
}

/** Reads and compiles every rule set in data/rules/<id>/ (rules.yaml, and tests.yaml beside it). */
export async function loadRuleSets(dir: string): Promise<Map<string, LoadedRuleSet>> {
  const loaded = new Map<string, LoadedRuleSet>()
  const folders = (await readdir(dir, { withFileTypes: true }))
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
  for (const folder of folders.sort()) {
    const rulesPath = join(dir, folder, 'rules.yaml')
    const file = check<RuleSetFile>(
      RuleSetFileSchema,
      parse(await readFile(rulesPath, 'utf8')),
      `${folder}/rules.yaml`,
    )
    if (file.id !== folder)
      throw new RuleSetError(`${folder}/rules.yaml: the id must be the folder's name (${folder})`)
    // Test files may share inputs with YAML anchors and merge keys (<<: *base).
    const testsRaw = parse(await readFile(join(dir, folder, 'tests.yaml'), 'utf8'), {
      merge: true,
    }) as unknown
    if (!Array.isArray(testsRaw) || testsRaw.length === 0)
      throw new RuleSetError(`${folder}/tests.yaml: a list of test cases is required`)
    const tests = testsRaw.map((t, i) =>
      check<RuleTestCase>(RuleTestCaseSchema, t, `${folder}/tests.yaml[${i}]`),
    )
    loaded.set(file.id, { ruleSet: compileRuleSet(file), tests })
  }
  return loaded
}

export interface RuleTestResult {
  ruleSet: string
  name: string
  passed: boolean
  failures: string[]
}

/** Runs a rule set's test cases: each output named in `expect` must equal (numbers to the öre). */
export function runRuleTests({ ruleSet, tests }: LoadedRuleSet): RuleTestResult[] {
  return tests.map((test) => {
    const failures: string[] = []
    try {
      const { outputs } = ruleSet.evaluate(test.inputs, test.date)
      for (const [name, expected] of Object.entries(test.expect)) {
        const actual = outputs[name]
        const same =
          typeof expected === 'number' && typeof actual === 'number'
            ? Math.abs(actual - expected) < 0.005
            : actual === expected
        if (!same)
          failures.push(`${name}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`)
      }
    } catch (error) {
      failures.push((error as Error).message)
    }
    return { ruleSet: ruleSet.id, name: test.name, passed: failures.length === 0, failures }
  })
}
