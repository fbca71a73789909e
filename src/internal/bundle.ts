/**
 * Finds the separately bundled entry points (the sandbox helper, the worker
 * of the blocking door) at run time: next to the built package (`dist/`), or,
 * when running from the TypeScript sources (tests, `tsx`), bundled once per
 * process with esbuild into `node_modules/.cache/effect-agentbay/`.
 *
 * @internal
 */
import * as fs from "node:fs"
import { createRequire } from "node:module"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

/** The separately bundled entry points and their sources (relative to `src/internal`). */
const ENTRIES = {
  "sandbox-helper": "helper/main.ts",
  "blocking-worker": "blocking/worker.ts"
} as const

/** @internal */
export type EntryName = keyof typeof ENTRIES

const here = (): string => path.dirname(fileURLToPath(import.meta.url))

const cache = new Map<EntryName, string>()

const packageRoot = (from: string): string => {
  let dir = from
  while (!fs.existsSync(path.join(dir, "package.json"))) {
    const parent = path.dirname(dir)
    if (parent === dir) return from
    dir = parent
  }
  return dir
}

/** The package's own cache directory (`node_modules/.cache/effect-agentbay` under the package's root). */
export const codeCacheDir = (): string => path.join(packageRoot(here()), "node_modules", ".cache", "effect-agentbay")

/** Bundles a source entry with esbuild (a development dependency) and returns the file. */
const buildFromSource = (name: EntryName, source: string): string => {
  const require = createRequire(import.meta.url)
  const esbuild = require("esbuild") as typeof import("esbuild")
  const outDir = codeCacheDir()
  fs.mkdirSync(outDir, { recursive: true })
  const outfile = path.join(outDir, `${name}.cjs`)
  const result = esbuild.buildSync({
    entryPoints: [source],
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    write: false,
    outfile,
    logLevel: "silent",
    define: { "import.meta.url": "__agentbay_import_meta_url" },
    banner: { js: "const __agentbay_import_meta_url = require('node:url').pathToFileURL(__filename).href;" }
  })
  const code = result.outputFiles[0]!.contents
  const previous = fs.existsSync(outfile) ? fs.readFileSync(outfile) : undefined
  if (previous === undefined || !previous.equals(code)) {
    // another process may be reading it: write aside, then rename atomically
    const temporary = `${outfile}.${process.pid}.${Date.now()}.tmp`
    fs.writeFileSync(temporary, code)
    fs.renameSync(temporary, outfile)
  }
  return outfile
}

/** The path of a bundled entry point. */
export const entryPath = (name: EntryName): string => {
  const cached = cache.get(name)
  if (cached !== undefined) return cached
  const dir = here()
  const candidates = [path.join(dir, `${name}.cjs`), path.join(dir, "..", `${name}.cjs`)]
  let found = candidates.find((candidate) => fs.existsSync(candidate))
  if (found === undefined) {
    const source = [path.join(dir, ENTRIES[name]), path.join(dir, "internal", ENTRIES[name])].find((p) => fs.existsSync(p))
    if (source === undefined) throw new Error(`effect-agentbay: the bundled ${name}.cjs is missing next to ${dir}; reinstall the package`)
    found = buildFromSource(name, source)
  }
  cache.set(name, found)
  return found
}
