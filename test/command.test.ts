import { describe, expect, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import { AgentBay } from "../src/effect.js"
import { hostProcesses, uniqueSleep, waitGone } from "./util.js"

describe("session.command.executeCommand", () => {
  layer(AgentBay.layerLocal({ outputBytes: 64 * 1024 }), { excludeTestServices: true })((it) => {
    it.scoped("exit code, stdout and stderr apart, output, duration", () =>
      Effect.gen(function*() {
        const session = yield* AgentBay.session()
        const ok = yield* session.command.executeCommand("echo out; echo err >&2")
        expect(ok.exitCode).toBe(0)
        expect(ok.stdout).toBe("out\n")
        expect(ok.stderr).toBe("err\n")
        expect(ok.output).toBe("out\nerr\n")
        expect(ok.timedOut).toBe(false)
        expect(ok.truncated).toBe(false)
        expect(ok.durationMs).toBeGreaterThanOrEqual(0)

        // a non-zero exit is data, not an error
        const failed = yield* session.command.executeCommand("echo nope >&2; exit 7")
        expect(failed.exitCode).toBe(7)
        expect(failed.stderr).toBe("nope\n")
        const missing = yield* session.command.executeCommand("no-such-program")
        expect(missing.exitCode).toBe(127)
        const killed = yield* session.command.executeCommand("kill -TERM $$")
        expect(killed.exitCode).toBe(128 + 15)
      }))

    it.scoped("cwd and envs; the environment starts clean", () =>
      Effect.gen(function*() {
        const session = yield* AgentBay.session()
        const home = yield* session.command.executeCommand("pwd; echo $HOME; id -u")
        expect(home.stdout).toBe("/home/user\n/home/user\n1000\n")
        const tmp = yield* session.command.executeCommand("pwd; echo $GREETING", { cwd: "/tmp", envs: { GREETING: "hi there" } })
        expect(tmp.stdout).toBe("/tmp\nhi there\n")
        const env = yield* session.command.executeCommand("env | cut -d= -f1 | sort | tr '\\n' ' '")
        expect(env.stdout.trim().split(" ").sort()).toEqual(
          ["AGENTBAY_COMMAND_ID", "HOME", "LANG", "LOGNAME", "PATH", "PWD", "SHELL", "TMPDIR", "USER"].sort()
        )
        const badCwd = yield* Effect.flip(session.command.executeCommand("pwd", { cwd: "/nope" }))
        expect(badCwd._tag).toBe("InvalidArgumentError")
        expect(badCwd.message).toContain("/nope")
        const badEnv = yield* Effect.flip(session.command.executeCommand("true", { envs: { "A=B": "x" } }))
        expect(badEnv._tag).toBe("InvalidArgumentError")
        const empty = yield* Effect.flip(session.command.executeCommand(""))
        expect(empty._tag).toBe("InvalidArgumentError")
        const nul = yield* Effect.flip(session.command.executeCommand("echo a\0b"))
        expect(nul._tag).toBe("InvalidArgumentError")
        const negative = yield* Effect.flip(session.command.executeCommand("true", { timeoutMs: -1 }))
        expect(negative._tag).toBe("InvalidArgumentError")
      }))

    it.scoped("state persists between calls: files, /tmp and background processes", () =>
      Effect.gen(function*() {
        const session = yield* AgentBay.session()
        yield* session.command.executeCommand("echo kept > notes.txt; echo t > /tmp/t")
        expect((yield* session.command.executeCommand("cat notes.txt /tmp/t")).stdout).toBe("kept\nt\n")
        const sleep = uniqueSleep()
        const started = yield* session.command.executeCommand(`sleep ${sleep} > /dev/null 2>&1 &`)
        expect(started.exitCode).toBe(0)
        expect((yield* session.command.executeCommand(`pgrep -fx "sleep ${sleep}" | wc -l`)).stdout.trim()).toBe("1")
        // a background process that keeps the pipes open does not hold the call
        const held = yield* session.command.executeCommand(`sleep ${sleep}1 & echo started`)
        expect(held.stdout).toBe("started\n")
        expect(held.durationMs).toBeLessThan(2_000)
      }))

    it.scoped("a timeout kills the whole process tree, not the session", () =>
      Effect.scoped(Effect.gen(function*() {
        const session = yield* AgentBay.session()
        const a = uniqueSleep()
        const b = uniqueSleep()
        const started = Date.now()
        const result = yield* session.command.executeCommand(`echo begun; sleep ${a} & sleep ${b}`, { timeoutMs: 500 })
        expect(Date.now() - started).toBeLessThan(3_000)
        expect(result.timedOut).toBe(true)
        expect(result.exitCode).toBe(124)
        expect(result.stdout).toBe("begun\n")
        expect(yield* waitGone(`sleep ${a}`, 100)).toEqual([])
        expect(yield* waitGone(`sleep ${b}`, 100)).toEqual([])
        // also what escaped the process group with setsid
        const c = uniqueSleep()
        yield* session.command.executeCommand(`setsid sh -c 'sleep ${c}' & sleep ${c}`, { timeoutMs: 300 })
        expect(yield* waitGone(`sleep ${c}`, 100)).toEqual([])
        // the session lives on
        expect((yield* session.command.executeCommand("echo alive")).stdout).toBe("alive\n")
      })))

    it.scoped("interrupting a call kills what it started", () =>
      Effect.scoped(Effect.gen(function*() {
        const session = yield* AgentBay.session()
        const sleep = uniqueSleep()
        const fiber = yield* Effect.fork(session.command.executeCommand(`sleep ${sleep}`))
        while (hostProcesses(`sleep ${sleep}`).length === 0) yield* Effect.sleep("10 millis")
        yield* Fiber.interrupt(fiber)
        expect(yield* waitGone(`sleep ${sleep}`, 1_000)).toEqual([])
        expect((yield* session.command.executeCommand("echo alive")).stdout).toBe("alive\n")
      })))

    it.scoped("the operation's own budget: a per-call timeoutMs on another operation", () =>
      Effect.scoped(Effect.gen(function*() {
        const session = yield* AgentBay.session()
        // one huge search against a 1 ms budget
        yield* session.command.executeCommand("mkdir -p d && cd d && for i in $(seq 1 300); do mkdir -p $i/a/b; done")
        const error = yield* Effect.flip(session.fileSystem.searchFiles("/home/user", "b", { timeoutMs: 1 }))
        expect(error._tag).toBe("TimeoutError")
        expect(error.message).toContain("searchFiles timed out after 1 ms")
      })))

    it.scoped("output beyond the cap is cut and flagged", () =>
      Effect.gen(function*() {
        const session = yield* AgentBay.session()
        const flood = yield* session.command.executeCommand("head -c 1000000 /dev/zero | tr '\\0' x; echo done >&2")
        expect(flood.truncated).toBe(true)
        expect(flood.stdout.length).toBe(64 * 1024)
        expect(flood.stderr).toBe("done\n")
        expect(flood.exitCode).toBe(0)
      }))

    it.scoped("concurrent calls on one session", () =>
      Effect.gen(function*() {
        const session = yield* AgentBay.session()
        const results = yield* Effect.all(
          Array.from({ length: 8 }, (_, i) => session.command.executeCommand(`sleep 0.2; echo ${i}`)),
          { concurrency: "unbounded" }
        )
        expect(results.map((r) => r.stdout)).toEqual(Array.from({ length: 8 }, (_, i) => `${i}\n`))
      }))
  })
})
