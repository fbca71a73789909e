import { describe, expect, it, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import { AgentBay } from "../src/effect.js"
import { hostProcesses, uniqueSleep, waitGone } from "./util.js"

describe("sessions on the local backend", () => {
  layer(AgentBay.layerLocal(), { excludeTestServices: true })((it) => {
    it.scoped("create, get, info, labels, list and delete", () =>
      Effect.gen(function*() {
        const bay = yield* AgentBay.AgentBay
        const session = yield* bay.session({ imageId: "code_latest", labels: { suite: "sessions", run: "1" } })
        expect(session.sessionId).toMatch(/^session-[0-9a-f]{20}$/)

        const info = yield* session.info()
        expect(info.status).toBe("RUNNING")
        expect(info.imageId).toBe("code_latest")
        expect(info.backend).toBe("local")
        expect(info.labels).toEqual({ suite: "sessions", run: "1" })
        expect(Date.parse(info.expiresAt!)).toBeGreaterThan(Date.parse(info.createdAt))

        const again = yield* bay.get(session.sessionId)
        expect(again.sessionId).toBe(session.sessionId)
        // the object from get works like the original
        expect((yield* again.command.executeCommand("echo same")).stdout).toBe("same\n")

        yield* session.setLabels({ suite: "sessions", run: "2" })
        expect(yield* session.getLabels()).toEqual({ suite: "sessions", run: "2" })

        const listed = yield* bay.list({ labels: { suite: "sessions", run: "2" } })
        expect(listed.sessionIds).toEqual([{ sessionId: session.sessionId, sessionStatus: "RUNNING" }])
        expect(listed.totalCount).toBe(1)
        expect((yield* bay.list({ labels: { suite: "sessions", run: "1" } })).totalCount).toBe(0)

        yield* bay.delete(session)
        const gone = yield* Effect.flip(bay.get(session.sessionId))
        expect(gone._tag).toBe("SessionNotFoundError")
        expect(gone.message).toContain(session.sessionId)
        const call = yield* Effect.flip(session.command.executeCommand("true"))
        expect(call._tag).toBe("SessionNotFoundError")
        // deleting twice says so
        expect((yield* Effect.flip(bay.delete(session.sessionId)))._tag).toBe("SessionNotFoundError")
      }))

    it.scoped("list pages with limit and nextToken", () =>
      Effect.gen(function*() {
        const bay = yield* AgentBay.AgentBay
        const labels = { suite: "paging", pid: String(process.pid) }
        const created = yield* Effect.all([bay.session({ labels }), bay.session({ labels }), bay.session({ labels })], {
          concurrency: 3
        })
        const first = yield* bay.list({ labels, limit: 2 })
        expect(first.sessionIds).toHaveLength(2)
        expect(first.totalCount).toBe(3)
        expect(first.maxResults).toBe(2)
        expect(first.nextToken).not.toBe("")
        const second = yield* bay.list({ labels, limit: 2, nextToken: first.nextToken })
        expect(second.sessionIds).toHaveLength(1)
        expect(second.nextToken).toBe("")
        expect(new Set([...first.sessionIds, ...second.sessionIds].map((s) => s.sessionId))).toEqual(
          new Set(created.map((s) => s.sessionId))
        )
        const bad = yield* Effect.flip(bay.list({ nextToken: "garbage" }))
        expect(bad._tag).toBe("InvalidArgumentError")
      }))

    it.effect("a session is visible to every client of the local backend in the process", () =>
      Effect.gen(function*() {
        const bay = yield* AgentBay.AgentBay
        const other = yield* Effect.provide(AgentBay.AgentBay, AgentBay.layerLocal())
        const session = yield* bay.create()
        const seen = yield* other.get(session.sessionId)
        expect((yield* seen.command.executeCommand("echo shared")).stdout).toBe("shared\n")
        yield* other.delete(session.sessionId)
        expect((yield* Effect.flip(bay.get(session.sessionId)))._tag).toBe("SessionNotFoundError")
      }))

    it.effect("unsupported images and bad arguments are typed errors", () =>
      Effect.gen(function*() {
        const bay = yield* AgentBay.AgentBay
        const image = yield* Effect.flip(bay.create({ imageId: "browser_latest" }))
        expect(image._tag).toBe("SessionCreationError")
        expect(image.message).toContain("cloud backend")
        const empty = yield* Effect.flip(bay.get(""))
        expect(empty._tag).toBe("InvalidArgumentError")
        expect(empty.message).toContain("sessionId")
        const labels = yield* Effect.flip(bay.create({ labels: { a: 1 as unknown as string } }))
        expect(labels._tag).toBe("InvalidArgumentError")
        expect(labels.message).toContain("labels")
      }))
  })

  it.live("deleting a session kills everything in it", () =>
    Effect.gen(function*() {
      const bay = yield* AgentBay.AgentBay
      const session = yield* bay.create()
      const sleep = uniqueSleep()
      yield* session.command.executeCommand(`sleep ${sleep} > /dev/null 2>&1 &`)
      expect(hostProcesses(`sleep ${sleep}`)).toHaveLength(1)
      yield* bay.delete(session)
      expect(yield* waitGone(`sleep ${sleep}`, 100)).toEqual([])
    }).pipe(Effect.provide(AgentBay.layerLocal())))

  it.live("session() deletes the session when the scope closes: success, failure, interruption", () =>
    Effect.gen(function*() {
      const bay = yield* AgentBay.AgentBay
      const ids: Array<string> = []
      const use = (then: Effect.Effect<void, string>) =>
        Effect.scoped(Effect.flatMap(bay.session(), (s) => {
          ids.push(s.sessionId)
          return then
        }))

      yield* use(Effect.void)
      const failed = yield* Effect.exit(use(Effect.fail("boom")))
      expect(Exit.isFailure(failed)).toBe(true)

      const sleep = uniqueSleep()
      const fiber = yield* Effect.fork(
        Effect.scoped(Effect.gen(function*() {
          const s = yield* bay.session()
          ids.push(s.sessionId)
          yield* s.command.executeCommand(`sleep ${sleep}`, { timeoutMs: 600_000 })
        }))
      )
      // wait until the command runs, then interrupt
      while (hostProcesses(`sleep ${sleep}`).length === 0) yield* Effect.sleep("10 millis")
      yield* Fiber.interrupt(fiber)

      expect(ids).toHaveLength(3)
      for (const id of ids) expect((yield* Effect.flip(bay.get(id)))._tag).toBe("SessionNotFoundError")
      expect(yield* waitGone(`sleep ${sleep}`, 200)).toEqual([])
    }).pipe(Effect.provide(AgentBay.layerLocal())))

  it.live("a create that outlives its timeout is deleted when it arrives", () =>
    Effect.gen(function*() {
      const bay = yield* AgentBay.AgentBay
      const labels = { suite: "late-create", pid: String(process.pid) }
      const error = yield* Effect.flip(Effect.scoped(bay.session({ labels }, { timeoutMs: 1 })))
      expect(error._tag).toBe("TimeoutError")
      expect(error.message).toContain("create timed out after 1 ms")
      // the sandbox that was starting is deleted once it is up
      let left = -1
      for (let i = 0; i < 100 && left !== 0; i++) {
        yield* Effect.sleep("50 millis")
        left = (yield* bay.list({ labels })).totalCount
      }
      expect(left).toBe(0)
    }).pipe(Effect.provide(AgentBay.layerLocal({ retry: false }))))

  it.live("sessions expire when idle, not while a command runs", () =>
    Effect.gen(function*() {
      const bay = yield* AgentBay.AgentBay
      const session = yield* bay.create({ labels: { suite: "expiry" } })
      yield* session.command.executeCommand("sleep 0.4", { timeoutMs: 5_000 })
      // a running command is not idleness: the session outlived 300 ms of work
      expect((yield* session.info()).status).toBe("RUNNING")
      yield* Effect.sleep("600 millis")
      expect((yield* Effect.flip(session.info()))._tag).toBe("SessionNotFoundError")
    }).pipe(Effect.provide(AgentBay.layerLocal({ idleTimeoutMs: 300 }))))

  it.live("maxSessions", () =>
    Effect.gen(function*() {
      const bay = yield* AgentBay.AgentBay
      // other test files run in other processes: the registry is per process
      const base = (yield* bay.list({ limit: 1000 })).totalCount
      const max = base + 1
      const limited = yield* Effect.provide(AgentBay.AgentBay, AgentBay.layerLocal({ maxSessions: max, retry: false }))
      yield* Effect.scoped(Effect.gen(function*() {
        yield* limited.session()
        const error = yield* Effect.flip(limited.create())
        expect(error._tag).toBe("SessionCreationError")
        expect(error.message).toContain("LimitReached")
      }))
    }).pipe(Effect.provide(AgentBay.layerLocal())))

  it.live("a session's lifetime is bounded", () =>
    Effect.gen(function*() {
      const bay = yield* AgentBay.AgentBay
      const session = yield* bay.create()
      yield* Effect.sleep("700 millis")
      expect((yield* Effect.flip(session.info()))._tag).toBe("SessionNotFoundError")
    }).pipe(Effect.provide(AgentBay.layerLocal({ maxLifetimeMs: 400 }))))
})
