/**
 * Parity by construction, checked: every method of the operation table exists
 * in the Effect, Promise and blocking doors, and the same calls give equal
 * results (and equal typed errors) in all three.
 */
import { afterAll, describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as ManagedRuntime from "effect/ManagedRuntime"
import { AgentBay as BlockingAgentBay, AsyncAgentBay } from "../src/index.js"
import { AgentBay, Operation } from "../src/effect.js"
import { toResult } from "../src/internal/results.js"

type Key = `${Operation.Group}.${string}`
const keyOf = (m: Operation.Method): Key => `${m.group}.${m.name}`

/** What a call needs from the door's own objects. */
interface Context {
  readonly session: { readonly sessionId: string }
  pool?: unknown
  lent?: unknown
  readonly labels: Record<string, string>
}

/** The script every door runs, in order: one or more calls of every method of the table. */
const script: ReadonlyArray<readonly [Key, (ctx: Context) => ReadonlyArray<unknown>]> = [
  ["client.list", (c) => [{ labels: c.labels }]],
  ["client.list", () => [{ nextToken: "not-a-token" }]],
  ["session.info", () => []],
  ["session.setLabels", (c) => [{ ...c.labels, extra: "1" }]],
  ["session.getLabels", () => []],
  ["session.setLabels", (c) => [c.labels]],
  ["command.executeCommand", () => ["echo hi; echo err >&2; exit 3"]],
  ["command.executeCommand", () => ["pwd; echo $X", { cwd: "/tmp", envs: { X: "y" } }]],
  ["command.executeCommand", () => ["sleep 5", { timeoutMs: 200 }]],
  ["command.executeCommand", () => [""]],
  ["command.executeCommand", () => ["true", { cwd: "/nope" }]],
  ["code.runCode", () => ["print('a')\n6 * 7", "python"]],
  ["code.runCode", () => ["raise ValueError('x')", "py"]],
  ["code.runCode", () => ["[1, 2].map((x) => x + 1)", "js"]],
  ["code.runCode", () => ["1", "ruby"]],
  ["fileSystem.writeFile", () => ["/tmp/p/a.txt", "héllo\n"]],
  ["fileSystem.writeFile", () => ["/tmp/p/a.txt", "more\n", { mode: "append" }]],
  ["fileSystem.writeFile", () => ["/tmp/p/a.txt", "x", { mode: "create_new" }]],
  ["fileSystem.readFile", () => ["/tmp/p/a.txt"]],
  ["fileSystem.writeFile", () => ["/tmp/p/b.bin", new Uint8Array([0, 1, 2, 255])]],
  ["fileSystem.readFile", () => ["/tmp/p/b.bin", { format: "bytes" }]],
  ["fileSystem.readFile", () => ["/tmp/p/missing"]],
  ["fileSystem.readFile", () => ["/etc/passwd"]],
  ["fileSystem.readFile", () => [""]],
  ["fileSystem.readFile", () => ["/tmp/p"]],
  ["fileSystem.createDirectory", () => ["/tmp/p/sub"]],
  ["fileSystem.listDirectory", () => ["/tmp/p"]],
  ["fileSystem.listDirectory", () => ["/tmp/p/a.txt"]],
  ["fileSystem.getFileInfo", () => ["/tmp/p/a.txt"]],
  ["fileSystem.searchFiles", () => ["/tmp", "*.txt"]],
  ["fileSystem.editFile", () => ["/tmp/p/a.txt", [{ oldText: "more", newText: "less" }]]],
  ["fileSystem.editFile", () => ["/tmp/p/a.txt", [{ oldText: "absent", newText: "x" }]]],
  ["fileSystem.readMultipleFiles", () => [["/tmp/p/a.txt", "/tmp/p/b.bin"]]],
  ["fileSystem.moveFile", () => ["/tmp/p/a.txt", "/home/user/a.txt"]],
  ["fileSystem.moveFile", () => ["/tmp/p/b.bin", "/home/user/a.txt"]],
  ["fileSystem.deleteFile", () => ["/tmp/p/sub"]],
  ["fileSystem.deleteFile", () => ["/tmp/p", { recursive: true }]],
  ["client.get", (c) => [c.session.sessionId]],
  ["client.get", () => ["session-does-not-exist"]],
  ["client.runTasks", (c) => [[{ code: "print(2)", params: { labels: c.labels } }, { code: "x", language: "ruby" }], { concurrency: 2 }]],
  ["client.createPool", (c) => [{ size: 1, params: { labels: c.labels } }]],
  ["pool.acquire", () => []],
  ["pool.release", (c) => [c.lent]],
  ["pool.release", () => ["session-not-lent"]],
  ["pool.close", () => []],
  ["client.create", () => [{ imageId: "windows_latest" }]],
  ["session.delete", () => []],
  ["client.delete", (c) => [c.session.sessionId]]
]

/** Replaces what differs between runs (ids, times, durations) by placeholders. */
const normalize = (value: unknown, ids: Map<string, string>): unknown => {
  if (typeof value === "string") {
    return value
      .replace(/session-[0-9a-f]{20}/g, (id) => {
        if (!ids.has(id)) ids.set(id, `<session ${ids.size}>`)
        return ids.get(id)!
      })
      .replace(/pool-[0-9a-f-]{36}/g, "<pool>")
      .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z/g, "<time>")
      .replace(/local-[0-9a-f-]{36}/g, "<request>")
      .replace(/^run-\w+$/, "<run>")
      .replace(/after \d+ ms/g, "after <n> ms")
  }
  if (value instanceof Uint8Array) return [...value]
  if (Array.isArray(value)) return value.map((v) => normalize(v, ids))
  if (typeof value === "object" && value !== null) {
    if ("sessionId" in value && "command" in value) return { session: normalize((value as any).sessionId, ids) }
    if ("poolId" in value && "acquire" in value) return { pool: normalize((value as any).poolId, ids), size: (value as any).size }
    const out: Record<string, unknown> = {}
    if ("_tag" in value) out._tag = (value as any)._tag
    for (const [k, v] of Object.entries(value)) {
      if (k === "durationMs" || k === "executionTime" || k === "traceback") continue
      out[k] = normalize(v, ids)
    }
    if (value instanceof Error) out.message = normalize(value.message, ids)
    return out
  }
  return value
}

const settle = async (f: () => unknown): Promise<unknown> => {
  try {
    return await f()
  } catch (error) {
    return { thrown: (error as Error).constructor.name, failure: (error as any).failure?._tag }
  }
}

type Door = {
  readonly name: string
  /** The door's client object. */
  readonly client: Record<string, (...args: Array<unknown>) => unknown>
  /** Runs a method call and returns its AgentBay-style result. */
  readonly call: (fn: (...args: Array<unknown>) => unknown, method: Operation.Method, args: ReadonlyArray<unknown>) => Promise<unknown>
}

const target = (door: Door, ctx: Context & { sessionObject: any }, method: Operation.Method) => {
  switch (method.group) {
    case "client":
      return door.client[method.name]!
    case "session":
      return ctx.sessionObject[method.name]
    case "pool":
      return (ctx.pool as any)[method.name]
    default:
      return ctx.sessionObject[method.group][method.name]
  }
}

const runScript = async (door: Door) => {
  const labels = { parity: `run-${door.name}`, pid: String(process.pid) }
  const created = (await door.call(door.client.create!, Operation.methods[0]!, [{ labels }])) as any
  expect(created.success).toBe(true)
  const ctx: Context & { sessionObject: any } = { session: created.session, sessionObject: created.session, labels }
  const ids = new Map<string, string>([[created.session.sessionId, "<own session>"]])
  const out: Array<[Key, unknown]> = []
  for (const [key, args] of script) {
    const method = Operation.methods.find((m) => keyOf(m) === key)!
    const fn = target(door, ctx, method)
    expect(typeof fn, `${door.name}: ${key}`).toBe("function")
    const result = (await settle(() => door.call(fn, method, args(ctx)))) as any
    if (key === "client.createPool") ctx.pool = result.pool
    if (key === "pool.acquire") ctx.lent = result.session
    out.push([key, normalize(result, ids)])
  }
  return out
}

describe("parity of the three doors", () => {
  const runtime = ManagedRuntime.make(AgentBay.layerLocal())
  const promise = new AsyncAgentBay()
  const blocking = new BlockingAgentBay()
  afterAll(async () => {
    await runtime.dispose()
    await promise.close()
  })

  const effectDoor = (): Door => {
    const bay = runtime.runSync(AgentBay.AgentBay)
    return {
      name: "effect",
      client: bay as any,
      // the Effect door's values, put in AgentBay's shape by the same rule as the other doors
      call: async (fn, method, args) => {
        const exit = await runtime.runPromiseExit(fn(...args) as Effect.Effect<unknown, unknown>)
        return toResult(method, exit, { session: (s) => s, pool: (p) => p })
      }
    }
  }
  const promiseDoor: Door = { name: "promise", client: promise as any, call: async (fn, _m, args) => fn(...args) }
  const blockingDoor: Door = { name: "blocking", client: blocking as any, call: async (fn, _m, args) => fn(...args) }

  it("the script covers every method of the table", () => {
    const covered = new Set(script.map(([key]) => key))
    expect(Operation.methods.map(keyOf).filter((k) => !covered.has(k) && k !== "client.create")).toEqual([])
  })

  it("every method exists in every door", async () => {
    const bay = runtime.runSync(AgentBay.AgentBay)
    const asyncSession = promise.session("session-x")
    const blockingSession = blocking.session("session-x")
    const effectSession = bay.sessionFor("session-x")
    for (const method of Operation.methods) {
      for (const [door, client, session] of [
        ["effect", bay, effectSession],
        ["promise", promise, asyncSession],
        ["blocking", blocking, blockingSession]
      ] as const) {
        const owner: any = method.group === "client"
          ? client
          : method.group === "session"
          ? session
          : method.group === "pool"
          ? undefined
          : (session as any)[method.group]
        if (owner !== undefined) expect(typeof owner[method.name], `${door}: ${keyOf(method)}`).toBe("function")
      }
    }
  })

  it("equal results and equal typed errors for the same calls", async () => {
    const [viaEffect, viaPromise, viaBlocking] = [await runScript(effectDoor()), await runScript(promiseDoor), await runScript(blockingDoor)]
    expect(viaPromise).toEqual(viaEffect)
    expect(viaBlocking).toEqual(viaEffect)
    // and the script really exercised successes, failures and thrown bad arguments
    const flat = JSON.stringify(viaEffect)
    for (const tag of ["FileNotFoundError", "PathOutsideWorkspaceError", "UnsupportedLanguageError", "SessionNotFoundError", "FileExistsError", "IsADirectoryError", "NotADirectoryError", "SessionCreationError"]) {
      expect(flat).toContain(tag)
    }
    expect(flat).toContain("\"thrown\":\"FileError\"")
    expect(flat).toContain("\"thrown\":\"CommandError\"")
    expect(flat).toContain("\"thrown\":\"SessionError\"")
  })
})
