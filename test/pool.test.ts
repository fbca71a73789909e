import { describe, expect, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { AgentBay, SessionPool } from "../src/effect.js"

describe("built-ins: session pool and task batches", () => {
  layer(AgentBay.layerLocal(), { excludeTestServices: true })((it) => {
    it.scoped("a pool pre-warms its sessions, reuses them across tasks and deletes them when closed", () =>
      Effect.gen(function*() {
        const bay = yield* AgentBay.AgentBay
        const labels = { suite: "pool", pid: String(process.pid) }
        const ids = yield* Effect.scoped(Effect.gen(function*() {
          const pool = yield* SessionPool.make({ size: 2, params: { labels } })
          expect(pool.size).toBe(2)
          // pre-warmed: both exist before any use
          expect((yield* bay.list({ labels })).totalCount).toBe(2)
          const used = yield* Effect.forEach(
            Array.from({ length: 6 }, (_, i) => i),
            (i) => pool.use((s) => Effect.map(s.command.executeCommand(`echo ${i} >> /tmp/log; echo $$`), () => s.sessionId)),
            { concurrency: 3 }
          )
          const distinct = new Set(used)
          expect(distinct.size).toBe(2)
          // state persists in a pooled session between uses
          const logs = yield* Effect.forEach([...distinct], (id) => Effect.map(bay.sessionFor(id).fileSystem.readFile("/tmp/log"), (t) => t.trim().split("\n").length))
          expect(logs.reduce((a, b) => a + b, 0)).toBe(6)
          return distinct
        }))
        for (const id of ids) expect((yield* Effect.flip(bay.get(id)))._tag).toBe("SessionNotFoundError")
        expect((yield* bay.list({ labels })).totalCount).toBe(0)
      }))

    it.scoped("acquire waits while all sessions are lent; release gives one back; misuse is a typed error", () =>
      Effect.gen(function*() {
        const bay = yield* AgentBay.AgentBay
        const pool = yield* bay.createPool({ size: 1 })
        const first = yield* pool.acquire()
        const waiting = yield* Effect.flip(pool.acquire({ timeoutMs: 200 }))
        expect(waiting._tag).toBe("TimeoutError")
        yield* pool.release(first)
        const again = yield* pool.acquire()
        expect(again.sessionId).toBe(first.sessionId)
        expect((yield* Effect.flip(pool.release("session-unknown")))._tag).toBe("InvalidArgumentError")
        yield* pool.release(again)
        yield* pool.close()
        expect((yield* Effect.flip(pool.acquire()))._tag).toBe("InvalidArgumentError")
        expect((yield* Effect.flip(bay.get(first.sessionId)))._tag).toBe("SessionNotFoundError")
      }))

    it.scoped("an expired pooled session is replaced on acquire", () =>
      Effect.gen(function*() {
        const bay = yield* AgentBay.AgentBay
        const pool = yield* SessionPool.make({ size: 1 })
        const first = yield* pool.acquire()
        yield* pool.release(first)
        yield* bay.delete(first.sessionId) // as if it had expired
        const next = yield* pool.acquire()
        expect(next.sessionId).not.toBe(first.sessionId)
        expect((yield* next.command.executeCommand("echo ok")).stdout).toBe("ok\n")
        yield* pool.release(next)
      }))

    it.effect("runTasks runs each task in a fresh session, bounded, with failures as outcomes", () =>
      Effect.gen(function*() {
        const bay = yield* AgentBay.AgentBay
        const labels = { suite: "tasks", pid: String(process.pid) }
        const results = yield* bay.runTasks(
          [
            { code: "print('Task 1')", params: { labels } },
            { code: "console.log('Task 2')", language: "javascript", params: { labels } },
            { code: "import os; print(len(os.listdir('/tmp')))", params: { labels } },
            { code: "raise RuntimeError('no')", params: { labels } },
            { code: "1", language: "cobol", params: { labels } }
          ],
          { concurrency: 2 }
        )
        expect(results.map((r) => r.success ? r.result.result : r.failure._tag)).toEqual([
          "Task 1\n",
          "Task 2\n",
          "0\n",
          "",
          "UnsupportedLanguageError"
        ])
        const raised = results[3]!
        expect(raised.success && raised.result.error?.name).toBe("RuntimeError")
        expect((yield* bay.list({ labels })).totalCount).toBe(0)
        const bad = yield* Effect.flip(bay.runTasks([], { concurrency: 0 }))
        expect(bad._tag).toBe("InvalidArgumentError")
      }))
  })
})
