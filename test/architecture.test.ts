// The architecture's rules, checked: a module is reached only through its index.ts, platform
// imports no module, and rules does no I/O.
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'

const SRC = fileURLToPath(new URL('../src/', import.meta.url))

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name)
    if (e.isDirectory()) return sourceFiles(path)
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path] : []
  })
}

const files = sourceFiles(SRC).map((file) => ({
  file: relative(SRC, file),
  imports: [...readFileSync(file, 'utf8').matchAll(/^\s*(?:import|export)[^'"]*from\s+'([^']+)'/gm)]
    .map((m) => m[1] ?? '')
    .filter((spec) => spec.startsWith('.'))
    .map((spec) => relative(SRC, resolve(dirname(join(SRC, relative(SRC, file))), spec))),
}))

const moduleOf = (path: string) => /^modules\/([^/]+)\//.exec(path)?.[1]

describe('the architecture', () => {
  it('reaches a module from outside only through its index.ts', () => {
    const wrong = files.flatMap(({ file, imports }) =>
      imports
        .filter((target) => moduleOf(target) && moduleOf(target) !== moduleOf(file))
        .filter((target) => !target.endsWith('/index.ts'))
        .map((target) => `${file} -> ${target}`),
    )
    assert.deepEqual(wrong, [])
  })

  it('keeps platform free of modules, app and web', () => {
    const wrong = files
      .filter(({ file }) => file.startsWith('platform/'))
      .flatMap(({ file, imports }) =>
        imports.filter((t) => /^(modules|app|web)\//.test(t)).map((t) => `${file} -> ${t}`),
      )
    assert.deepEqual(wrong, [])
  })

  it('keeps the rules pure: no database, network or file access after loading', () => {
    const pure = files.filter(
      ({ file }) => file.startsWith('modules/rules/') && !file.endsWith('load-rule-sets.ts'),
    )
    for (const { file } of pure) {
      const text = readFileSync(join(SRC, file), 'utf8')
      assert.doesNotMatch(text, /from 'node:(fs|net|http|https|child_process)|from 'kysely'|from 'pg'/, file)
    }
  })
})
