// The two decisions in @gorules/zen-engine, as JDM decision graphs (zen-vab.json and
// zen-barnbidrag.json beside this file: decision tables and expression nodes). The first node of
// each graph is a table of the parameters in force; its rows are filled in here from the rule
// file, one row for each date from which a value changes, latest first.
//
// zen-engine is a native module whose npm package lists a binary for every platform; the registry
// these machines use carries only the Linux ones, which `npm ci` refuses in a lock file. So the
// bench installs it beside itself (`npm run bench:rules` does, into bench/peers/.zen) instead of
// the project's devDependencies.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { RuleSetFile } from '../../src/modules/rules/index.ts'
import { type BarnbidragResult, type Peer, parametersOn, type VabResult } from './common.ts'

interface Column {
  id: string
  name: string
  field: string
}
interface JdmNode {
  id: string
  type: string
  content?: { inputs: Column[]; outputs: Column[]; rules: Record<string, string>[] }
}
interface Jdm {
  nodes: JdmNode[]
}

function graphWithParameters(fileName: string, ruleFile: RuleSetFile): Jdm {
  const graph = JSON.parse(readFileSync(new URL(fileName, import.meta.url), 'utf8')) as Jdm
  const table = graph.nodes.find((n) => n.id === 'parameters')?.content
  if (!table) throw new Error(`${fileName}: no node "parameters"`)
  const [from] = table.inputs
  if (!from) throw new Error(`${fileName}: the parameters table needs its column "from"`)
  const valuesOn = parametersOn<Record<string, unknown>>(ruleFile)
  const dates = [...new Set(Object.values(ruleFile.parameters).flatMap((p) => p.values.map((v) => v.from)))]
  // From the first date on which every parameter has a value.
  const complete =
    Object.values(ruleFile.parameters)
      .map((p) => p.values.map((v) => v.from).sort()[0] ?? '')
      .sort()
      .at(-1) ?? ''
  table.rules = dates
    .sort()
    .reverse()
    .filter((date) => date >= complete)
    .map((date) => {
      const values = valuesOn(date)
      const row: Record<string, string> = { _id: `from-${date}`, [from.id]: `d(date) >= d("${date}")` }
      for (const output of table.outputs) {
        if (!(output.id in values))
          throw new Error(`${fileName}: ${ruleFile.id} has no parameter ${output.id}`)
        // A number, a text or a table, written as a ZEN literal (JSON is one).
        row[output.id] = JSON.stringify(values[output.id])
      }
      return row
    })
  return graph
}

/** The part of zen-engine's API the bench uses. */
interface ZenDecision {
  evaluate(input: Record<string, unknown>): Promise<{ result: unknown }>
}
interface ZenEngineModule {
  ZenEngine: new () => { createDecision(graph: Jdm): ZenDecision }
}

export function createZenEngine(files: { vab: RuleSetFile; barnbidrag: RuleSetFile }): Peer {
  const require = createRequire(new URL('./.zen/package.json', import.meta.url))
  const { ZenEngine } = require('@gorules/zen-engine') as ZenEngineModule
  const engine = new ZenEngine()
  const vab = engine.createDecision(graphWithParameters('zen-vab.json', files.vab))
  const barnbidrag = engine.createDecision(graphWithParameters('zen-barnbidrag.json', files.barnbidrag))
  return {
    name: '@gorules/zen-engine',
    async vab(inputs, date): Promise<VabResult> {
      return (await vab.evaluate({ ...inputs, date })).result as VabResult
    },
    async barnbidrag(inputs, date): Promise<BarnbidragResult> {
      return (await barnbidrag.evaluate({ ...inputs, date })).result as BarnbidragResult
    },
  }
}
