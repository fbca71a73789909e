import * as fs from "node:fs"
import * as os from "node:os"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { AgentBay, AgentBayError } from "../src/effect.js"
import { startFailure } from "../src/internal/local/diagnose.js"

const samples: ReadonlyArray<AgentBayError.AgentBayError> = [
  new AgentBayError.SessionNotFoundError({ sessionId: "session-x" }),
  new AgentBayError.SessionCreationError({ reason: "LimitReached", detail: "32 live" }),
  new AgentBayError.InvalidArgumentError({ argument: "cwd", detail: "does not exist" }),
  new AgentBayError.TimeoutError({ operation: "readFile", timeoutMs: 10 }),
  new AgentBayError.FileNotFoundError({ path: "/tmp/x" }),
  new AgentBayError.NotADirectoryError({ path: "/tmp/x" }),
  new AgentBayError.IsADirectoryError({ path: "/tmp" }),
  new AgentBayError.FileExistsError({ path: "/tmp/x" }),
  new AgentBayError.PathOutsideWorkspaceError({ path: "/etc/passwd", allowed: ["/home/user", "/tmp"] }),
  new AgentBayError.FileSystemError({ reason: "NoSpace", path: "/tmp/x", detail: "ENOSPC" }),
  new AgentBayError.UnsupportedLanguageError({ language: "ruby", supported: ["python", "javascript"] }),
  new AgentBayError.SandboxUnavailableError({ reason: "BubblewrapMissing", detail: "no bwrap", fix: "apt-get install -y bubblewrap" }),
  new AgentBayError.AuthenticationError({ reason: "MissingApiKey", detail: "no key" }),
  new AgentBayError.RateLimitedError({ code: "Throttling.User", retryAfterMs: 1000 }),
  new AgentBayError.ServerError({ status: 503, code: "ServiceUnavailable", detail: "busy", requestId: "r-1" }),
  new AgentBayError.NetworkError({ reason: "Connect", endpoint: "http://127.0.0.1:1", detail: "ECONNREFUSED" })
]

describe("typed errors", () => {
  it("each says what happened and what to do, knows if it is retryable, and survives a round trip", () => {
    const retryable = new Set(["SessionCreationError", "RateLimitedError", "ServerError", "NetworkError"])
    const codec = Schema.Union(AgentBayError.AgentBayError)
    for (const error of samples) {
      expect(error.message.length).toBeGreaterThan(20)
      expect(error.message).toMatch(/\. [A-Z]|Fix: |Retry|retry/)
      expect(error.retryable).toBe(retryable.has(error._tag))
      expect(AgentBayError.isAgentBayError(error)).toBe(true)
      // through JSON, as across the worker bridge and the wire
      const json = JSON.parse(JSON.stringify(Schema.encodeSync(codec)(error)))
      const back = Schema.decodeUnknownSync(codec)(json)
      expect(back).toBeInstanceOf(error.constructor)
      expect(back).toEqual(error)
      expect(back.message).toBe(error.message)
    }
    expect(new AgentBayError.ServerError({ status: 400, code: "Bad", detail: "x" }).retryable).toBe(false)
    expect(new AgentBayError.NetworkError({ reason: "InvalidResponse", endpoint: "e", detail: "x" }).retryable).toBe(false)
    expect(AgentBayError.isAgentBayError(new Error("x"))).toBe(false)
  })

  it.effect("a missing bubblewrap fails closed with the install line", () =>
    Effect.gen(function*() {
      const bay = yield* AgentBay.AgentBay
      const error = yield* Effect.flip(bay.create())
      expect(error._tag).toBe("SandboxUnavailableError")
      if (error._tag !== "SandboxUnavailableError") return
      expect(error.reason).toBe("BubblewrapMissing")
      expect(error.fix).toContain("apt-get install -y bubblewrap")
      expect(error.message).toContain("/nonexistent/bwrap")
    }).pipe(Effect.provide(AgentBay.layerLocal({ bwrapPath: "/nonexistent/bwrap" }))))

  it.effect("a bubblewrap that cannot start fails closed", () =>
    Effect.gen(function*() {
      const bay = yield* AgentBay.AgentBay
      const error = yield* Effect.flip(bay.create())
      expect(error).toMatchObject({ _tag: "SandboxUnavailableError", reason: "StartFailed" })
      expect((yield* bay.list()).totalCount).toBe(0)
    }).pipe(Effect.provide(AgentBay.layerLocal({ bwrapPath: "/bin/false", retry: false }))))

  it.scoped("user namespaces denied: bubblewrap's real refusal is diagnosed with the sysctl fix", () =>
    Effect.gen(function*() {
      // inside a session, nested user namespaces are disabled: bwrap there fails for real
      const session = yield* AgentBay.session()
      const attempt = yield* session.command.executeCommand("bwrap --unshare-user --ro-bind / / true")
      expect(attempt.exitCode).not.toBe(0)
      const error = startFailure(attempt.stderr, attempt.exitCode)
      expect(error.reason).toBe("NamespacesDenied")
      expect(error.fix).toMatch(/sysctl/)
    }).pipe(Effect.provide(AgentBay.layerLocal())))

  it.scoped("running without a sandbox takes an explicit, loudly named option, and cleans up after itself", () =>
    Effect.gen(function*() {
      const before = fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith("effect-agentbay-unsandboxed-"))
      const bay = yield* AgentBay.AgentBay
      yield* Effect.scoped(Effect.gen(function*() {
        const session = yield* bay.session()
        const result = yield* session.command.executeCommand("echo $HOME; test -e /proc/1 && echo host-visible")
        expect(result.stdout).toContain("effect-agentbay-unsandboxed-")
        expect(result.stdout).toContain("host-visible")
        yield* session.fileSystem.writeFile("note.txt", "x")
        expect(yield* session.fileSystem.readFile("note.txt")).toBe("x")
        expect((yield* Effect.flip(session.fileSystem.readFile("/etc/hostname")))._tag).toBe("PathOutsideWorkspaceError")
        yield* session.command.executeCommand("sleep 1000.77 > /dev/null 2>&1 &")
      }))
      const after = fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith("effect-agentbay-unsandboxed-"))
      expect(after).toEqual(before)
    }).pipe(Effect.provide(AgentBay.layerLocal({ dangerouslyRunWithoutSandbox: true }))))
})
