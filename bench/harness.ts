/**
 * A small benchmark harness: cases run interleaved (round robin), so that
 * the machine's noise hits all of them alike, and are reported as medians and
 * ratios against a baseline measured in the same run.
 */
import * as fs from "node:fs"
import * as os from "node:os"

export interface Case {
  readonly name: string
  /** One timed iteration; returns nothing. */
  readonly run: () => Promise<void> | void
}

export interface Stats {
  readonly name: string
  readonly samples: number
  readonly medianMs: number
  readonly p95Ms: number
  /** The median of each block, in order (from `measureBlocks`): for paired comparisons. */
  readonly blockMediansMs?: ReadonlyArray<number>
}

const quantile = (sorted: ReadonlyArray<number>, q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!

/** Runs `cases` interleaved for `rounds` rounds after `warmup` rounds. */
export const measure = async (cases: ReadonlyArray<Case>, rounds: number, warmup = 5): Promise<Array<Stats>> => {
  const samples = cases.map(() => [] as Array<number>)
  for (let round = 0; round < warmup + rounds; round++) {
    for (let i = 0; i < cases.length; i++) {
      const started = performance.now()
      await cases[i]!.run()
      const elapsed = performance.now() - started
      if (round >= warmup) samples[i]!.push(elapsed)
    }
  }
  return cases.map((c, i) => {
    const sorted = samples[i]!.sort((a, b) => a - b)
    return { name: c.name, samples: sorted.length, medianMs: quantile(sorted, 0.5), p95Ms: quantile(sorted, 0.95) }
  })
}

/**
 * Runs `cases` in alternating blocks of `perBlock` back-to-back calls: for
 * steady-state per-call costs, where switching between cases on every call
 * would measure the switch (a worker thread gone idle, cold caches) instead.
 */
export const measureBlocks = async (
  cases: ReadonlyArray<Case>,
  blocks: number,
  perBlock: number,
  /** Untimed calls of each case first, until the JIT has compiled the hot paths (of every thread). */
  warmupCalls = perBlock
): Promise<Array<Stats>> => {
  const samples = cases.map(() => [] as Array<number>)
  const blockMedians = cases.map(() => [] as Array<number>)
  for (const c of cases) {
    for (let k = 0; k < warmupCalls; k++) await c.run()
  }
  for (let block = 0; block < blocks; block++) {
    for (let i = 0; i < cases.length; i++) {
      const times: Array<number> = []
      for (let k = 0; k < perBlock; k++) {
        const started = performance.now()
        await cases[i]!.run()
        times.push(performance.now() - started)
      }
      samples[i]!.push(...times)
      blockMedians[i]!.push(quantile(times.sort((a, b) => a - b), 0.5))
    }
  }
  return cases.map((c, i) => {
    const sorted = samples[i]!.sort((a, b) => a - b)
    return { name: c.name, samples: sorted.length, medianMs: quantile(sorted, 0.5), p95Ms: quantile(sorted, 0.95), blockMediansMs: blockMedians[i]! }
  })
}

/**
 * The median over blocks of `subject`'s block median less `baseline`'s (of
 * the same round): a paired difference, in which the machine's drift between
 * rounds cancels out.
 */
export const pairedDifference = (subject: Stats, baseline: Stats): number => {
  const a = subject.blockMediansMs ?? [subject.medianMs]
  const b = baseline.blockMediansMs ?? [baseline.medianMs]
  return quantile(a.map((x, i) => x - b[i]!).sort((x, y) => x - y), 0.5)
}

export interface Comparison {
  readonly name: string
  readonly medianMs: number
  readonly baseline: string
  readonly ratio: number
  readonly target: string
  readonly met: boolean
}

export const machine = () => ({
  cpus: os.cpus().length,
  cpu: os.cpus()[0]?.model ?? "unknown",
  memoryGiB: Math.round(os.totalmem() / 2 ** 30),
  node: process.version,
  platform: `${os.platform()} ${os.release()}`
})

const fmt = (n: number) => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(3))

/** Prints a table of stats and comparisons. */
export const printTable = (title: string, stats: ReadonlyArray<Stats>, comparisons: ReadonlyArray<Comparison>) => {
  console.log(`\n${title}`)
  console.log("| case | median ms | p95 ms | n |\n|---|---:|---:|---:|")
  for (const s of stats) console.log(`| ${s.name} | ${fmt(s.medianMs)} | ${fmt(s.p95Ms)} | ${s.samples} |`)
  if (comparisons.length > 0) {
    console.log("\n| measure | value | baseline | ratio | target | met |\n|---|---:|---|---:|---|:-:|")
    for (const c of comparisons) {
      console.log(`| ${c.name} | ${fmt(c.medianMs)} ms | ${c.baseline} | ${c.ratio.toFixed(2)} | ${c.target} | ${c.met ? "yes" : "no"} |`)
    }
  }
}

/** Merges a section into bench/results.json. */
export const writeResults = (section: string, data: unknown) => {
  const file = new URL("./results.json", import.meta.url)
  let all: Record<string, unknown> = {}
  try {
    all = JSON.parse(fs.readFileSync(file, "utf8"))
  } catch {
    all = {}
  }
  all.machine = machine()
  all.updatedAt = new Date().toISOString()
  all[section] = data
  fs.writeFileSync(file, `${JSON.stringify(all, null, 2)}\n`)
}
