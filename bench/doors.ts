/**
 * The doors: the blocking door's per-call overhead over the Promise door for
 * the same operations (against a bare Atomics round trip to a worker, the
 * floor of any blocking bridge), the worker's cold start, and the guide's
 * throughput scenario (10 × create / run code / delete: blocking sequential
 * against Promise concurrent).
 */
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { MessageChannel, receiveMessageOnPort, Worker } from "node:worker_threads"
import { AgentBay, AsyncAgentBay } from "effect-agentbay"
import { type Comparison, measureBlocks, pairedDifference, printTable, type Stats, writeResults } from "./harness.js"

const root = path.resolve(import.meta.dirname, "..")

/**
 * Untimed calls of each case before measuring: the worker's engine reaches
 * its steady speed only after a few thousand calls (measured here: the
 * overhead over the Promise door falls from ~0.5 ms in the first hundreds of
 * calls to ~0.1 ms), and a steady per-call cost is what is compared.
 */
const WARMUP_CALLS = 3000

/** A worker that echoes: the cost of one blocking round trip with nothing to do. */
const bareRoundTrip = () => {
  const { port1, port2 } = new MessageChannel()
  const cells = new Int32Array(new SharedArrayBuffer(8))
  const worker = new Worker(
    `const { workerData: { port, cells } } = require("node:worker_threads")
     port.on("message", (m) => { port.postMessage(m); Atomics.add(cells, 0, 1); Atomics.notify(cells, 0) })`,
    { eval: true, workerData: { port: port2, cells }, transferList: [port2] }
  )
  worker.unref()
  const call = () => {
    port1.postMessage(0)
    for (;;) {
      const seen = Atomics.load(cells, 0)
      if (receiveMessageOnPort(port1) !== undefined) return
      Atomics.wait(cells, 0, seen, 50)
    }
  }
  return { call, stop: () => worker.terminate() }
}

/**
 * How long a thread blocked in `Atomics.wait` takes to wake after being
 * notified, by how long it slept: a property of the machine, not of this
 * package, that explains the doors' numbers. A helper thread busy-waits
 * `sleepUs` before notifying, so the caller has slept that long.
 */
const wakeLatency = async (sleepUs: number, samples: number): Promise<Stats> => {
  const shared = new SharedArrayBuffer(32)
  const cells = new Int32Array(shared, 0, 4)
  const stamp = new Float64Array(shared, 16, 1)
  const worker = new Worker(
    `const { workerData: shared } = require("node:worker_threads")
     const cells = new Int32Array(shared, 0, 4), stamp = new Float64Array(shared, 16, 1)
     for (let seen = 0;;) {
       Atomics.wait(cells, 0, seen)
       seen = Atomics.load(cells, 0)
       if (cells[2] < 0) break
       const until = performance.now() + cells[2] / 1000
       while (performance.now() < until) {}
       stamp[0] = performance.timeOrigin + performance.now()
       Atomics.add(cells, 1, 1)
       Atomics.notify(cells, 1)
     }`,
    { eval: true, workerData: shared }
  )
  const times: Array<number> = []
  cells[2] = sleepUs
  for (let i = 0; i < samples + 20; i++) {
    const before = Atomics.load(cells, 1)
    Atomics.add(cells, 0, 1)
    Atomics.notify(cells, 0)
    Atomics.wait(cells, 1, before, 1000)
    if (i >= 20) times.push(performance.timeOrigin + performance.now() - stamp[0]!)
  }
  cells[2] = -1
  Atomics.add(cells, 0, 1)
  Atomics.notify(cells, 0)
  await worker.terminate()
  const sorted = times.sort((a, b) => a - b)
  return {
    name: `machine: a thread's wake-up after sleeping ${sleepUs} µs in Atomics.wait`,
    samples,
    medianMs: sorted[samples >> 1]!,
    p95Ms: sorted[Math.floor(samples * 0.95)]!
  }
}

/** The first call of a fresh blocking client, less a warm call, in a fresh process using the built package. */
const coldStartOnce = (): number => {
  const script = `
    const { AgentBay } = require(${JSON.stringify(path.join(root, "dist", "index.cjs"))})
    const client = new AgentBay()
    const t0 = performance.now(); client.list(); const first = performance.now() - t0
    const t1 = performance.now(); client.list(); const warm = performance.now() - t1
    console.log(JSON.stringify({ coldStartMs: first - warm }))`
  return JSON.parse(execFileSync(process.execPath, ["-e", script], { encoding: "utf8" })).coldStartMs as number
}

/**
 * The worker's cold start: once with no V8 code cache of its bundle (the
 * first start after installing), then the median of `runs` starts with it
 * (every later start).
 */
const coldStart = (runs: number): { readonly first: Stats; readonly cached: Stats } => {
  const cacheDir = path.join(root, "node_modules", ".cache", "effect-agentbay")
  for (const file of fs.existsSync(cacheDir) ? fs.readdirSync(cacheDir) : []) {
    if (file.startsWith("blocking-worker.cjs-") && file.endsWith(".v8cache")) fs.rmSync(path.join(cacheDir, file))
  }
  const first = coldStartOnce()
  const samples = Array.from({ length: runs }, coldStartOnce).sort((a, b) => a - b)
  return {
    first: { name: "blocking worker cold start, first ever (no code cache yet)", samples: 1, medianMs: first, p95Ms: first },
    cached: { name: "blocking worker cold start (first call − warm call, built package)", samples: runs, medianMs: samples[runs >> 1]!, p95Ms: samples[runs - 1]! }
  }
}

const throughput = async (tasks: number) => {
  const blocking = new AgentBay()
  const promise = new AsyncAgentBay()
  blocking.list() // the worker is up: measure the scenario, not the cold start
  const t0 = performance.now()
  for (let i = 0; i < tasks; i++) {
    const session = blocking.create().session!
    session.code.runCode(`print('Task ${i}')`, "python")
    blocking.delete(session)
  }
  const sequential = performance.now() - t0
  const t1 = performance.now()
  await Promise.all(Array.from({ length: tasks }, async (_, i) => {
    const session = (await promise.create()).session!
    await session.code.runCode(`print('Task ${i}')`, "python")
    await promise.delete(session)
  }))
  const concurrent = performance.now() - t1
  await promise.close()
  return { sequentialMs: sequential, concurrentMs: concurrent }
}

export const run = async (rounds: number) => {
  const blocking = new AgentBay()
  const promise = new AsyncAgentBay()
  const bSession = blocking.create().session!
  const pSession = (await promise.create()).session!
  const bare = bareRoundTrip()
  const stats = await measureBlocks([
    { name: "bare Atomics round trip to a worker (floor)", run: () => bare.call() },
    { name: "Promise door: list()", run: async () => void (await promise.list()) },
    { name: "blocking door: list()", run: () => void blocking.list() },
    { name: "Promise door: getFileInfo(\"/tmp\")", run: async () => void (await pSession.fileSystem.getFileInfo("/tmp")) },
    { name: "blocking door: getFileInfo(\"/tmp\")", run: () => void bSession.fileSystem.getFileInfo("/tmp") }
  ], 20, Math.max(20, rounds >> 1), WARMUP_CALLS)
  await bare.stop()
  blocking.delete(bSession)
  await promise.delete(pSession)
  await promise.close()

  const wakes = [await wakeLatency(50, 300), await wakeLatency(400, 300)]
  const cold = coldStart(9)
  const scenario = await throughput(10)
  const [floor, pList, bList, pInfo, bInfo] = stats as [Stats, Stats, Stats, Stats, Stats]
  // paired by round: each round measures both doors back to back
  const listOverheadMs = pairedDifference(bList, pList)
  const infoOverheadMs = pairedDifference(bInfo, pInfo)
  const comparisons: Array<Comparison> = [
    { name: "blocking overhead per call: list()", medianMs: listOverheadMs, baseline: "bare round trip", ratio: listOverheadMs / floor.medianMs, target: "≤ 0.1 ms", met: listOverheadMs <= 0.1 },
    { name: "blocking overhead per call: getFileInfo", medianMs: infoOverheadMs, baseline: "bare round trip", ratio: infoOverheadMs / floor.medianMs, target: "≤ 0.1 ms", met: infoOverheadMs <= 0.1 },
    { name: "worker cold start", medianMs: cold.cached.medianMs, baseline: "bare round trip", ratio: cold.cached.medianMs / floor.medianMs, target: "≤ 200 ms", met: cold.cached.medianMs <= 200 },
    { name: "10 tasks, blocking sequential", medianMs: scenario.sequentialMs, baseline: "Promise concurrent", ratio: scenario.sequentialMs / scenario.concurrentMs, target: "(the guide: ~10 s)", met: true },
    { name: "10 tasks, Promise concurrent", medianMs: scenario.concurrentMs, baseline: "Promise concurrent", ratio: 1, target: "(the guide: ~1-2 s)", met: true }
  ]
  printTable("Doors: blocking against Promise", [...stats, ...wakes, cold.first, cold.cached], comparisons)
  writeResults("doors", { stats: [...stats, ...wakes, cold.first, cold.cached], throughput: scenario, comparisons })
  return comparisons
}
