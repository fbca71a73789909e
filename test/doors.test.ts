import { execFile } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { describe, expect, it } from "@effect/vitest"
import * as Exit from "effect/Exit"
import * as Cause from "effect/Cause"
import * as Option from "effect/Option"
import {
  AgentBay,
  AgentBayError,
  AsyncAgentBay,
  CommandError,
  CreateSessionParams,
  FileError,
  limitConcurrency,
  SessionError
} from "../src/index.js"
import { AgentBayError as Typed, Operation } from "../src/effect.js"
import { Bridge } from "../src/internal/blocking/bridge.js"
import { entryPath } from "../src/internal/bundle.js"
import { hostProcesses, uniqueSleep } from "./util.js"

const root = path.resolve(__dirname, "..")
const tsx = path.join(root, "node_modules", ".bin", "tsx")

/** Runs a TypeScript snippet in a fresh process (as a user's script would run). */
export const runScript = (source: string, timeoutMs = 30_000) =>
  new Promise<{ code: number | null; stdout: string; stderr: string; ms: number }>((resolve) => {
    const started = Date.now()
    execFile(tsx, ["--eval", source], { cwd: root, timeout: timeoutMs, env: { ...process.env, NODE_OPTIONS: "" } }, (error, stdout, stderr) =>
      resolve({ code: error ? (error as any).code ?? 1 : 0, stdout, stderr, ms: Date.now() - started }))
  })

const waitGone = async (needle: string, ms = 3_000) => {
  const until = Date.now() + ms
  while (hostProcesses(needle).length > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20))
  return hostProcesses(needle)
}

describe("AsyncAgentBay, the Promise door", () => {
  it("results in AgentBay's shape, typed errors included; bad arguments throw", async () => {
    await using agentBay = new AsyncAgentBay()
    const created = await agentBay.create(CreateSessionParams({ imageId: "code_latest" }))
    expect(created).toMatchObject({ success: true, errorMessage: "" })
    expect(created.requestId).toMatch(/^local-/)
    await using session = created.session!

    const hello = await session.command.executeCommand("echo 'Hello World'")
    expect(hello).toMatchObject({ success: true, output: "Hello World\n", exitCode: 0 })
    const failing = await session.command.executeCommand("exit 4")
    expect(failing).toMatchObject({ success: false, exitCode: 4, errorMessage: "Command exited with code 4" })
    expect(failing.failure).toBeUndefined()

    const missing = await session.fileSystem.readFile("/tmp/none")
    expect(missing.success).toBe(false)
    expect(missing.content).toBeUndefined()
    expect(missing.failure).toBeInstanceOf(Typed.FileNotFoundError)
    expect(missing.errorMessage).toContain("/tmp/none")

    const code = await session.code.runCode("raise KeyError('k')", "python")
    expect(code).toMatchObject({ success: false, errorMessage: "KeyError: 'k'" })

    await expect(session.fileSystem.readFile("")).rejects.toBeInstanceOf(FileError)
    await expect(session.command.executeCommand("")).rejects.toBeInstanceOf(CommandError)
    const thrown = await agentBay.get("").catch((e) => e)
    expect(thrown).toBeInstanceOf(SessionError)
    expect(thrown).toBeInstanceOf(AgentBayError)
    expect(thrown.failure._tag).toBe("InvalidArgumentError")
  })

  it("await using deletes the session at the end of the block", async () => {
    await using agentBay = new AsyncAgentBay()
    let id = ""
    {
      await using session = (await agentBay.create()).session!
      id = session.sessionId
      expect((await agentBay.get(id)).success).toBe(true)
    }
    const after = await agentBay.get(id)
    expect(after.success).toBe(false)
    expect(after.failure?._tag).toBe("SessionNotFoundError")
  })

  it("an AbortSignal aborts the call and kills what it started", async () => {
    await using agentBay = new AsyncAgentBay()
    await using session = (await agentBay.create()).session!
    const sleep = uniqueSleep()
    const started = Date.now()
    const aborted = await session.command.executeCommand(`sleep ${sleep}`, { signal: AbortSignal.timeout(300) }).catch((e) => e)
    expect(aborted.name).toBe("TimeoutError")
    expect(Date.now() - started).toBeLessThan(3_000)
    expect(await waitGone(`sleep ${sleep}`, 1_000)).toEqual([])
    const controller = new AbortController()
    controller.abort(new Error("stop"))
    await expect(session.command.executeCommand("true", { signal: controller.signal })).rejects.toThrow("stop")
    expect((await session.command.executeCommand("echo alive")).output).toBe("alive\n")
  })

  it("retry with exponential backoff is a client option: a create waits out a full backend", async () => {
    const base = (await new AsyncAgentBay().list({ limit: 1000 })).totalCount ?? 0
    await using agentBay = new AsyncAgentBay({ maxSessions: base + 1, retry: { times: 6, baseDelayMs: 40, maxDelayMs: 400 } })
    const held = (await agentBay.create()).session!
    setTimeout(() => void held.delete(), 150)
    const started = Date.now()
    const second = await agentBay.create()
    expect(second.success).toBe(true)
    expect(Date.now() - started).toBeGreaterThanOrEqual(100)
    await second.session!.delete()
    await using noRetry = new AsyncAgentBay({ maxSessions: base, retry: false })
    const refused = await noRetry.create()
    expect(refused.failure?._tag).toBe("SessionCreationError")
  })

  it("limitConcurrency bounds concurrent work; pools lend sessions", async () => {
    await using agentBay = new AsyncAgentBay()
    const limit = limitConcurrency(2)
    let running = 0
    let peak = 0
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        limit(async () => {
          running++
          peak = Math.max(peak, running)
          await new Promise((r) => setTimeout(r, 30))
          running--
          return i
        }))
    )
    expect(results).toEqual([0, 1, 2, 3, 4, 5])
    expect(peak).toBe(2)
    await expect(limit(() => Promise.reject(new Error("own error")))).rejects.toThrow("own error")
    expect(() => limitConcurrency(0)).toThrow(AgentBayError)

    await using pool = (await agentBay.createPool({ size: 2 })).pool!
    const seen = await Promise.all(
      Array.from({ length: 4 }, () => pool.use(async (s) => (await s.command.executeCommand("hostname")).output))
    )
    expect(seen).toEqual(Array(4).fill("sandbox\n"))
  })

  it("a script that forgets to delete its session still exits, and the sandbox dies with it", async () => {
    const sleep = uniqueSleep()
    const run = await runScript(`
      import { AsyncAgentBay } from "effect-agentbay"
      void (async () => {
        const agentBay = new AsyncAgentBay()
        const session = (await agentBay.create()).session!
        await session.command.executeCommand("sleep ${sleep} > /dev/null 2>&1 &")
        console.log("done")
      })()
    `)
    expect(run.stdout.trim()).toBe("done")
    expect(run.code).toBe(0)
    expect(await waitGone(`sleep ${sleep}`)).toEqual([])
  })
})

describe("AgentBay, the blocking door", () => {
  it("the same methods and results, without await; using deletes", () => {
    const agentBay = new AgentBay()
    const created = agentBay.create()
    expect(created.success).toBe(true)
    let id = ""
    {
      using session = created.session!
      id = session.sessionId
      expect(session.command.executeCommand("echo 'Hello World'").output).toBe("Hello World\n")
      const bytes = new Uint8Array([9, 8, 7])
      expect(session.fileSystem.writeFile("/tmp/b", bytes).success).toBe(true)
      expect([...bytes]).toEqual([9, 8, 7]) // the caller's bytes are not taken away
      expect(session.fileSystem.readFile("/tmp/b", { format: "bytes" }).content).toEqual(new Uint8Array([9, 8, 7]))
      const missing = session.fileSystem.readFile("/tmp/none")
      expect(missing.failure).toBeInstanceOf(Typed.FileNotFoundError)
      expect(() => session.fileSystem.readFile("")).toThrow(FileError)
      const timedOut = session.fileSystem.searchFiles("/", "x", { timeoutMs: 1 })
      // a refused root, or a timeout: either way the next call gets its own answer
      expect(timedOut.success).toBe(false)
      expect(session.command.executeCommand("echo next").output).toBe("next\n")
    }
    expect(agentBay.get(id).failure?._tag).toBe("SessionNotFoundError")
    using pool = agentBay.createPool({ size: 1 }).pool!
    expect(pool.use((s) => s.command.executeCommand("echo pooled").output)).toBe("pooled\n")
    const tasks = agentBay.runTasks([{ code: "print('t1')" }, { code: "console.log('t2')", language: "js" }], { concurrency: 2 })
    expect(tasks.results?.map((r) => r.success && r.result.result)).toEqual(["t1\n", "t2\n"])
    const aborted = new AbortController()
    aborted.abort(new Error("already aborted"))
    expect(() => agentBay.list(undefined, { signal: aborted.signal })).toThrow("already aborted")
  })

  it("a blocking script runs top to bottom and exits by itself; its sessions die with the process", async () => {
    const sleep = uniqueSleep()
    const run = await runScript(`
      import { AgentBay } from "effect-agentbay"
      const agentBay = new AgentBay()
      const session = agentBay.create().session!
      session.command.executeCommand("sleep ${sleep} > /dev/null 2>&1 &")
      console.log(session.command.executeCommand("echo top-to-bottom").output.trim())
    `)
    expect(run.stdout.trim()).toBe("top-to-bottom")
    expect(run.code).toBe(0)
    expect(await waitGone(`sleep ${sleep}`)).toEqual([])
  })

  it("a worker that fails while loading is reported, not waited for", () => {
    const bridge = new Bridge(() => path.join(__dirname, "fixtures", "broken-worker.cjs"))
    const started = Date.now()
    expect(() => bridge.call(1, {}, new Operation.ListSessions({ params: {} }))).toThrow(/failed to start: .*broken on purpose/s)
    expect(Date.now() - started).toBeLessThan(5_000)
  })

  it("the worker's bundle loads from V8's code cache after its first start; a bad cache is replaced", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "effect-agentbay-code-cache-"))
    try {
      const startAndList = () => {
        const bridge = new Bridge(() => entryPath("blocking-worker"), undefined, () => dir)
        const exit = bridge.call(1, {}, new Operation.ListSessions({ params: {} }))
        bridge.shutdown()
        return exit
      }
      expect(Exit.isSuccess(startAndList())).toBe(true)
      const files = fs.readdirSync(dir)
      expect(files).toEqual([expect.stringMatching(/^blocking-worker\.cjs-[0-9a-f]{16}-[^/]+\.v8cache$/)])
      const file = path.join(dir, files[0]!)
      expect(fs.statSync(file).size).toBeGreaterThan(100_000)
      // a cache V8 rejects costs only the compile, and is written anew
      const garbage = Buffer.alloc(fs.statSync(file).size, 7)
      fs.writeFileSync(file, garbage)
      expect(Exit.isSuccess(startAndList())).toBe(true)
      expect(fs.readdirSync(dir)).toEqual(files)
      expect(fs.readFileSync(file).equals(garbage)).toBe(false)
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  it("a call past its budget is abandoned with a TimeoutError; its late reply never answers a later call", () => {
    const bridge = new Bridge(() => path.join(__dirname, "fixtures", "scripted-worker.cjs"), { backstopMs: 100, deadAfterMs: 600 })
    const labels = (exit: Exit.Exit<unknown, unknown>) => (Exit.isSuccess(exit) ? exit.value : Option.getOrThrow(Cause.failureOption(exit.cause)))
    const request = () => new Operation.GetLabels({ sessionId: "s", timeoutMs: 100 })
    const first = labels(bridge.call(1, {}, request())) as Typed.AgentBayError
    expect(first).toBeInstanceOf(Typed.TimeoutError)
    expect(labels(bridge.call(1, {}, request()))).toEqual({ calls: "2" })
    const until = Date.now() + 500
    while (Date.now() < until) {
      // let the late reply of the first call arrive
    }
    expect(labels(bridge.call(1, {}, request()))).toEqual({ calls: "3" })
    // a worker that stops answering (and beating) is detected, not waited for forever
    expect(() => bridge.call(1, {}, new Operation.GetLabels({ sessionId: "die" }))).toThrow(/stopped responding/)
  })
})
