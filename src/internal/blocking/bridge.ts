/**
 * The main thread's end of the blocking client: a worker (started on first
 * use, never holding the process open) runs the effects while the caller
 * waits on `Atomics.wait`, reading replies with `receiveMessageOnPort`.
 *
 * Designed out: a worker failing while loading (a handshake through a shared
 * state cell, waited for in bounded slices); a worker dying mid-call (a
 * heartbeat cell); a call outliving its budget (the worker's fiber is
 * interrupted so finalizers run, and the late reply is discarded by request
 * id); typed errors losing their class (the `Exit` crosses encoded with the
 * operation's schemas); large bytes copied twice (transferred); sessions
 * outliving the process (a bounded synchronous shutdown on `exit`).
 *
 * @internal
 */
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from "node:worker_threads"
import type * as Exit from "effect/Exit"
import { globalValue } from "effect/GlobalValue"
import * as Schema from "effect/Schema"
import { TimeoutError } from "../../AgentBayError.js"
import { AgentBayError } from "../../Exceptions.js"
import * as Operation from "../../Operation.js"
import { codeCacheDir, entryPath } from "../bundle.js"
import { budgetOf, type EngineOptions, nameOf } from "../engine.js"
import { Cell, CELLS, HEARTBEAT_MS, State, type ToMain, type ToWorker } from "./protocol.js"

const SLICE_MS = 50
/** How long a caller watches for a reply before it sleeps. */
const SPIN_MS = 0.5
const STARTUP_TIMEOUT_MS = 20_000
/** A worker whose heartbeat stood still this long is gone. */
const DEAD_AFTER_MS = Math.max(5_000, 30 * HEARTBEAT_MS)
/** Extra time a call may take beyond its operation's own budget before the bridge gives up on it. */
const BACKSTOP_MS = 5_000
const SHUTDOWN_WAIT_MS = 2_000

interface Running {
  readonly worker: Worker
  readonly port: MessagePort
  readonly cells: Int32Array
  readonly clients: Set<number>
}

const encodeRequest = (request: Operation.Request): unknown => Operation.requestCodecOf(request._tag)!.encode(request)

/**
 * Loads the worker's bundle inside a try, so that even a failure while
 * loading it (a missing file, a syntax error) reaches the waiting caller
 * through the state cell instead of leaving it blocked.
 *
 * The bundle is compiled with V8's code cache when a cache directory is
 * given: compiling it is a third of the worker's cold start. The cache file
 * is named by the bundle's content hash and V8's version (V8 itself checks
 * only the source's length and its flags, and rejects a cache made under
 * other flags, which is then rewritten); it lives in the package's own
 * `node_modules/.cache`, as trusted as the bundle next to it. Any failure to
 * read or write it only costs the compile.
 */
const BOOTSTRAP = `
const { workerData } = require("node:worker_threads")
const load = (entry, cacheDir) => {
  const fs = require("node:fs")
  const path = require("node:path")
  const Module = require("node:module")
  const source = fs.readFileSync(entry, "utf8")
  let cacheFile, cachedData
  if (cacheDir) {
    const hash = require("node:crypto").createHash("sha256").update(source).digest("hex").slice(0, 16)
    cacheFile = path.join(cacheDir, path.basename(entry) + "-" + hash + "-" + process.versions.v8 + ".v8cache")
    try { cachedData = fs.readFileSync(cacheFile) } catch {}
  }
  const script = new (require("node:vm").Script)(Module.wrap(source), { filename: entry, cachedData })
  const module = { exports: {}, filename: entry, id: entry, loaded: false }
  script.runInThisContext().call(module.exports, module.exports, Module.createRequire(entry), module, entry, path.dirname(entry))
  module.loaded = true
  if (cacheFile && (cachedData === undefined || script.cachedDataRejected)) {
    try {
      fs.mkdirSync(cacheDir, { recursive: true })
      const temporary = cacheFile + "." + process.pid + "." + Date.now() + ".tmp"
      // made after the run, so that it holds the functions compiled while loading
      fs.writeFileSync(temporary, script.createCachedData())
      fs.renameSync(temporary, cacheFile)
    } catch {}
  }
}
try {
  load(workerData.entry, workerData.cacheDir)
} catch (error) {
  const cells = new Int32Array(workerData.control)
  workerData.port.postMessage({ kind: "failed", id: 0, message: String((error && error.stack) || error) })
  Atomics.store(cells, ${Cell.State}, ${State.Failed})
  Atomics.add(cells, ${Cell.Posted}, 1)
  Atomics.notify(cells, ${Cell.Posted})
}
`

/** @internal */
export class Bridge {
  constructor(
    private readonly entry: () => string,
    private readonly timing: { readonly backstopMs: number; readonly deadAfterMs: number } = {
      backstopMs: BACKSTOP_MS,
      deadAfterMs: DEAD_AFTER_MS
    },
    /** Where the worker keeps V8's code cache of its bundle (none: compile each time). */
    private readonly cacheDir: () => string | undefined = () => undefined
  ) {}

  private running: Running | undefined
  private nextId = 0
  private exitHooked = false
  /** Milliseconds the last start took (for the benchmarks). */
  lastStartMs = 0

  private start(): Running {
    if (this.running !== undefined) return this.running
    const started = performance.now()
    const { port1, port2 } = new MessageChannel()
    const control = new SharedArrayBuffer(CELLS * Int32Array.BYTES_PER_ELEMENT)
    const cells = new Int32Array(control)
    const worker = new Worker(BOOTSTRAP, {
      eval: true,
      workerData: { port: port2, control, entry: this.entry(), cacheDir: this.cacheDir() },
      transferList: [port2],
      execArgv: [],
      stdout: false,
      stderr: false
    })
    // the worker never keeps the process alive on its own
    worker.unref()
    worker.on("error", () => {}) // seen through the state and heartbeat cells
    const deadline = Date.now() + STARTUP_TIMEOUT_MS
    while (Atomics.load(cells, Cell.State) === State.Starting) {
      if (Date.now() > deadline) {
        void worker.terminate()
        throw new AgentBayError(`the blocking client's worker did not start within ${STARTUP_TIMEOUT_MS} ms`)
      }
      Atomics.wait(cells, Cell.Posted, 0, SLICE_MS)
    }
    if (Atomics.load(cells, Cell.State) === State.Failed) {
      const message = receiveMessageOnPort(port1)?.message as ToMain | undefined
      void worker.terminate()
      throw new AgentBayError(
        `the blocking client's worker failed to start: ${message?.kind === "failed" ? message.message : "unknown error"}`
      )
    }
    this.running = { worker, port: port1, cells, clients: new Set() }
    this.lastStartMs = performance.now() - started
    if (!this.exitHooked) {
      this.exitHooked = true
      process.on("exit", () => this.shutdown())
    }
    return this.running
  }

  private send(running: Running, message: ToWorker): void {
    running.port.postMessage(message)
  }

  /** Waits for the reply to `id`; `undefined` when `deadline` passed first. Throws if the worker is gone. */
  private await(running: Running, id: number, deadline: number): ToMain | undefined {
    let beat = Atomics.load(running.cells, Cell.Heartbeat)
    let beatSeen = Date.now()
    // most replies come within a fraction of a millisecond: watch the cell
    // briefly before sleeping, as waking from a sleep costs more than that here
    const spinUntil = performance.now() + SPIN_MS
    for (;;) {
      const posted = Atomics.load(running.cells, Cell.Posted)
      for (let received = receiveMessageOnPort(running.port); received !== undefined; received = receiveMessageOnPort(running.port)) {
        const message = received.message as ToMain
        // a reply to an earlier, abandoned call is dropped here
        if (message.id === id) return message
      }
      const now = Date.now()
      if (now > deadline) return undefined
      const heartbeat = Atomics.load(running.cells, Cell.Heartbeat)
      if (heartbeat !== beat) {
        beat = heartbeat
        beatSeen = now
      } else if (now - beatSeen > this.timing.deadAfterMs) {
        this.running = undefined
        void running.worker.terminate()
        throw new AgentBayError("the blocking client's worker stopped responding; its sessions are gone, create new ones")
      }
      if (performance.now() < spinUntil) {
        while (Atomics.load(running.cells, Cell.Posted) === posted && performance.now() < spinUntil) {
          // spin
        }
        continue
      }
      Atomics.wait(running.cells, Cell.Posted, posted, Math.min(SLICE_MS, Math.max(1, deadline - now)))
    }
  }

  /** Runs a request in the worker and returns its exit, blocking the caller. */
  call(client: number, options: EngineOptions, request: Operation.Request): Exit.Exit<unknown, unknown> {
    const running = this.start()
    if (!running.clients.has(client)) {
      this.send(running, { kind: "client", client, options })
      running.clients.add(client)
    }
    const id = ++this.nextId
    this.send(running, { kind: "op", id, client, request: encodeRequest(request) })
    const budget = budgetOf(request, options)
    const reply = this.await(running, id, Date.now() + budget + this.timing.backstopMs)
    if (reply === undefined || reply.kind !== "exit") {
      // interrupt the worker's fiber so its finalizers run; its late reply will be dropped
      this.send(running, { kind: "cancel", id })
      const operation = nameOf(request)
      return Operation.exitCodecOf(request).decode({
        _tag: "Failure",
        cause: { _tag: "Fail", error: Schema.encodeSync(TimeoutError)(new TimeoutError({ operation, timeoutMs: budget })) }
      }) as Exit.Exit<unknown, unknown>
    }
    return Operation.exitCodecOf(request).decode(reply.exit) as Exit.Exit<unknown, unknown>
  }

  /** On process exit: the worker kills every session it made, within a bounded wait. */
  shutdown(): void {
    const running = this.running
    if (running === undefined) return
    this.running = undefined
    const id = ++this.nextId
    try {
      this.send(running, { kind: "shutdown", id })
      this.await(running, id, Date.now() + SHUTDOWN_WAIT_MS)
    } catch {
      // the worker is gone already: its sandboxes died with its thread
    }
    void running.worker.terminate()
  }
}

/** The one bridge of this process, shared by every blocking client. */
export const bridge = globalValue(Symbol.for("effect-agentbay/blocking/bridge"), () =>
  new Bridge(() => entryPath("blocking-worker"), undefined, codeCacheDir)
)
