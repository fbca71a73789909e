/**
 * The embedded local backend: each session is a long-lived bubblewrap
 * sandbox with a resident helper that serves AgentBay's tools. Sessions live
 * in one registry per process, shared by every client of the local backend;
 * they end when deleted, when they expire, or when the process exits
 * (however it exits: the sandbox dies with its parent, and its workspace is
 * a tmpfs that dies with it).
 *
 * @internal
 */
import * as crypto from "node:crypto"
import * as fs from "node:fs"
import * as path from "node:path"
import * as Effect from "effect/Effect"
import { globalValue } from "effect/GlobalValue"
import {
  InvalidArgumentError,
  SandboxUnavailableError,
  SessionCreationError,
  SessionNotFoundError,
  TimeoutError
} from "../../AgentBayError.js"
import type { Service as Backend, Budget, ToolResult } from "../../Backend.js"
import type { CreateSessionParams, Labels, ListSessionsParams } from "../../Session.js"
import { SessionInfo, SessionList } from "../../Session.js"
import { spawnFailure } from "./diagnose.js"
import { HelperProcess } from "./helperProcess.js"
import { type Prepared, prepareSandboxed, prepareUnsandboxed } from "./launch.js"
import {
  type Limits,
  type LimitStatus,
  limitStatuses,
  removeSessionCgroups,
  removeSessionCgroupsNow,
  type SessionCgroups
} from "./limits.js"
import { findPython } from "./sandbox.js"

/** Options of the local backend (documented on the public `LocalBackend.Options`). */
export interface LocalOptions {
  readonly bwrapPath?: string
  readonly maxSessions?: number
  readonly idleTimeoutMs?: number
  readonly maxLifetimeMs?: number
  readonly startTimeoutMs?: number
  readonly diskBytes?: number
  readonly outputBytes?: number
  readonly memoryBytes?: number | null
  readonly processes?: number | null
  readonly cpuSeconds?: number | null
  readonly fileSizeBytes?: number | null
  readonly openFiles?: number | null
  readonly pythonPath?: string | null
  readonly dangerouslyRunWithoutSandbox?: boolean
}

export const LOCAL_DEFAULTS = {
  maxSessions: 32,
  idleTimeoutMs: 15 * 60_000,
  maxLifetimeMs: 2 * 60 * 60_000,
  startTimeoutMs: 15_000,
  diskBytes: 512 * 1024 * 1024,
  outputBytes: 1024 * 1024,
  memoryBytes: 1024 * 1024 * 1024,
  processes: 256,
  cpuSeconds: 3600,
  /** By default, the disk limit. */
  fileSizeBytes: undefined,
  openFiles: 1024
} as const

/** Images the local backend runs (all the same Linux sandbox). */
export const LOCAL_IMAGES = ["code_latest", "linux_latest"] as const

/** The local backend's largest chunk per tool call (bigger files are read and written in pieces). */
const MAX_CHUNK_BYTES = 8 * 1024 * 1024

interface LocalSession {
  info: SessionInfo
  readonly helper: HelperProcess
  readonly idleTimeoutMs: number
  idleTimer: ReturnType<typeof setTimeout> | undefined
  lifetimeTimer: ReturnType<typeof setTimeout> | undefined
  /** The host directory of an unsandboxed session. */
  readonly workspace: string | undefined
  readonly cgroups: SessionCgroups | undefined
}

/** Every local session of this process (one registry even if the package is loaded twice). */
const registry = globalValue(Symbol.for("effect-agentbay/local/registry"), () => {
  const sessions = new Map<string, LocalSession>()
  process.once("exit", () => killAllNow(sessions))
  return sessions
})

const killAllNow = (sessions: Map<string, LocalSession>): void => {
  for (const session of sessions.values()) {
    clearTimeout(session.idleTimer)
    clearTimeout(session.lifetimeTimer)
    session.helper.killNow()
    if (session.workspace !== undefined) fs.rmSync(session.workspace, { recursive: true, force: true })
    if (session.cgroups !== undefined) removeSessionCgroupsNow(session.cgroups)
  }
  sessions.clear()
}

/** Kills every local session of this process (or worker thread), synchronously. */
export const killAllSessionsNow = (): void => killAllNow(registry)

/** The number of live local sessions in this process. */
export const liveSessionCount = (): number => registry.size

const findBwrap = (): string => {
  if (fs.existsSync("/usr/bin/bwrap")) return "/usr/bin/bwrap"
  for (const dir of (process.env.PATH ?? "").split(":")) {
    if (dir.length > 0 && fs.existsSync(path.join(dir, "bwrap"))) return path.join(dir, "bwrap")
  }
  return "/usr/bin/bwrap"
}

const newSessionId = (): string => `session-${crypto.randomBytes(10).toString("hex")}`

/** Removes a session from the registry and kills its sandbox. */
const destroy = async (sessionId: string): Promise<void> => {
  const session = registry.get(sessionId)
  if (session === undefined) return
  registry.delete(sessionId)
  clearTimeout(session.idleTimer)
  clearTimeout(session.lifetimeTimer)
  await session.helper.kill()
  if (session.workspace !== undefined) await fs.promises.rm(session.workspace, { recursive: true, force: true })
  if (session.cgroups !== undefined) await removeSessionCgroups(session.cgroups)
}

const orDefault = <A>(value: A | undefined, fallback: A): A => (value === undefined ? fallback : value)

/** The limits of a backend's sessions, defaults filled in. */
export const resolveLimits = (options: LocalOptions): Limits => {
  const diskBytes = options.diskBytes ?? LOCAL_DEFAULTS.diskBytes
  return {
    memoryBytes: orDefault(options.memoryBytes, LOCAL_DEFAULTS.memoryBytes),
    processes: orDefault(options.processes, LOCAL_DEFAULTS.processes),
    cpuSeconds: orDefault(options.cpuSeconds, LOCAL_DEFAULTS.cpuSeconds),
    fileSizeBytes: orDefault(options.fileSizeBytes, diskBytes),
    openFiles: orDefault(options.openFiles, LOCAL_DEFAULTS.openFiles),
    diskBytes,
    outputBytes: options.outputBytes ?? LOCAL_DEFAULTS.outputBytes,
    idleTimeoutMs: options.idleTimeoutMs ?? LOCAL_DEFAULTS.idleTimeoutMs,
    maxLifetimeMs: options.maxLifetimeMs ?? LOCAL_DEFAULTS.maxLifetimeMs
  }
}

/** Which limits hold for the sessions of a backend with these options. */
export const localLimitStatuses = (options: LocalOptions = {}): Array<LimitStatus> =>
  limitStatuses(resolveLimits(options), options.dangerouslyRunWithoutSandbox === true)

/** Makes a local backend. */
export const makeLocalBackend = (options: LocalOptions = {}): Backend => {
  const unsandboxed = options.dangerouslyRunWithoutSandbox === true
  const bwrapPath = options.bwrapPath ?? findBwrap()
  const maxSessions = options.maxSessions ?? LOCAL_DEFAULTS.maxSessions
  const limits = resolveLimits(options)
  const { idleTimeoutMs, maxLifetimeMs } = limits
  const pythonPath = options.pythonPath === undefined ? findPython() : options.pythonPath
  const startTimeoutMs = options.startTimeoutMs ?? LOCAL_DEFAULTS.startTimeoutMs
  const statuses = limitStatuses(limits, unsandboxed).map((status) => ({ ...status }))

  const start = (budget: Budget) => Effect.async<{ helper: HelperProcess; prepared: Prepared; sessionId: string }, SandboxUnavailableError | TimeoutError>(
    (resume) => {
      let cancelled = false
      const sessionId = newSessionId()
      let prepared: Prepared
      if (!unsandboxed) {
        try {
          fs.accessSync(bwrapPath, fs.constants.X_OK)
        } catch (error) {
          resume(Effect.fail(spawnFailure(bwrapPath, error as NodeJS.ErrnoException)))
          return
        }
      }
      try {
        prepared = unsandboxed
          ? prepareUnsandboxed(limits, pythonPath, startTimeoutMs)
          : prepareSandboxed(bwrapPath, limits, pythonPath, startTimeoutMs, sessionId)
      } catch (error) {
        resume(Effect.fail(
          new SandboxUnavailableError({
            reason: "StartFailed",
            detail: `cannot prepare the session: ${String(error)}`,
            fix: "run `npx effect-agentbay doctor` for a diagnosis"
          })
        ))
        return
      }
      const cleanUp = () => {
        if (prepared.workspace !== undefined) fs.rmSync(prepared.workspace, { recursive: true, force: true })
        if (prepared.cgroups !== undefined) void removeSessionCgroups(prepared.cgroups)
      }
      // past the deadline the caller hears of a timeout; the sandbox, once up, is killed
      const timer = setTimeout(() => {
        cancelled = true
        resume(Effect.fail(new TimeoutError({ operation: budget.operation, timeoutMs: budget.timeoutMs })))
      }, Math.max(0, budget.deadline - Date.now()))
      HelperProcess.start(prepared.launch, () => void destroy(sessionId)).then(
        (helper) => {
          clearTimeout(timer)
          if (cancelled) {
            void helper.kill().then(cleanUp)
          } else {
            resume(Effect.succeed({ helper, prepared, sessionId }))
          }
        },
        (error: SandboxUnavailableError) => {
          clearTimeout(timer)
          cleanUp()
          if (!cancelled) resume(Effect.fail(error))
        }
      )
      return Effect.sync(() => {
        clearTimeout(timer)
        cancelled = true
      })
    }
  )

  const scheduleIdle = (sessionId: string, session: LocalSession) => {
    clearTimeout(session.idleTimer)
    session.idleTimer = setTimeout(() => void destroy(sessionId), session.idleTimeoutMs)
    session.idleTimer.unref()
  }

  const lookup = (sessionId: string) =>
    Effect.suspend(() => {
      const session = registry.get(sessionId)
      return session === undefined ? Effect.fail(new SessionNotFoundError({ sessionId })) : Effect.succeed(session)
    })

  const create = (params: CreateSessionParams, budget: Budget) =>
    Effect.gen(function*() {
      const imageId = params.imageId ?? "code_latest"
      if (!(LOCAL_IMAGES as ReadonlyArray<string>).includes(imageId)) {
        return yield* Effect.fail(
          new SessionCreationError({
            reason: "UnsupportedImage",
            detail: `the local backend runs ${LOCAL_IMAGES.join(" and ")}, not ${imageId} (browser, computer and mobile images need the cloud backend)`
          })
        )
      }
      if (registry.size >= maxSessions) {
        return yield* Effect.fail(
          new SessionCreationError({ reason: "LimitReached", detail: `${registry.size} local sessions are live (maxSessions ${maxSessions})` })
        )
      }
      const { helper, prepared, sessionId } = yield* start(budget)
      const now = Date.now()
      const session: LocalSession = {
        info: new SessionInfo({
          sessionId,
          status: "RUNNING",
          imageId,
          labels: { ...params.labels },
          backend: "local",
          createdAt: new Date(now).toISOString(),
          expiresAt: new Date(now + maxLifetimeMs).toISOString(),
          limits: statuses
        }),
        helper,
        idleTimeoutMs,
        idleTimer: undefined,
        lifetimeTimer: setTimeout(() => void destroy(sessionId), maxLifetimeMs),
        workspace: prepared.workspace,
        cgroups: prepared.cgroups
      }
      session.lifetimeTimer!.unref()
      registry.set(sessionId, session)
      scheduleIdle(sessionId, session)
      return session.info
    })

  const callTool = (sessionId: string, tool: string, args: Record<string, unknown>, budget: Budget) =>
    Effect.flatMap(lookup(sessionId), (session) =>
      Effect.async<ToolResult, SessionNotFoundError | SandboxUnavailableError | TimeoutError>((resume) => {
        clearTimeout(session.idleTimer)
        const timer = setTimeout(() => {
          cancel()
          resume(Effect.fail(new TimeoutError({ operation: budget.operation, timeoutMs: budget.timeoutMs })))
        }, Math.max(0, budget.deadline - Date.now()))
        const cancel = session.helper.call(tool, args, (outcome) => {
          clearTimeout(timer)
          if (registry.get(sessionId) === session && session.helper.inFlight === 0) scheduleIdle(sessionId, session)
          if ("result" in outcome) return resume(Effect.succeed(outcome.result))
          // the sandbox is gone: deleted meanwhile, or it died
          resume(Effect.fail(
            registry.has(sessionId) || session.helper.stderr.length > 0
              ? new SandboxUnavailableError({
                reason: "Crashed",
                detail: `the sandbox of ${sessionId} exited unexpectedly${session.helper.stderr ? `: ${session.helper.stderr.trim().slice(-500)}` : ""}`,
                fix: "create a new session; if it keeps happening, run `npx effect-agentbay doctor`"
              })
              : new SessionNotFoundError({ sessionId })
          ))
        })
        return Effect.sync(() => {
          clearTimeout(timer)
          cancel()
        })
      }))

  const list = (params: ListSessionsParams) =>
    Effect.suspend(() => {
      const limit = params.limit ?? 10
      const offset = params.nextToken === undefined || params.nextToken === "" ? 0 : Number(params.nextToken)
      if (!Number.isInteger(offset) || offset < 0) {
        return Effect.fail(new InvalidArgumentError({ argument: "nextToken", detail: "pass the nextToken of a previous list result" }))
      }
      const wanted = Object.entries(params.labels ?? {})
      const matching = [...registry.values()]
        .map((s) => s.info)
        .filter((info) => wanted.every(([k, v]) => info.labels[k] === v))
        .sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.sessionId < b.sessionId ? -1 : 1))
      const page = matching.slice(offset, offset + limit)
      return Effect.succeed(
        new SessionList({
          sessionIds: page.map((info) => ({ sessionId: info.sessionId, sessionStatus: info.status })),
          nextToken: offset + limit < matching.length ? String(offset + limit) : "",
          maxResults: limit,
          totalCount: matching.length
        })
      )
    })

  const setLabels = (sessionId: string, labels: Labels) =>
    Effect.map(lookup(sessionId), (session) => {
      session.info = new SessionInfo({ ...session.info, labels: { ...labels } })
    })

  return {
    kind: "local",
    maxChunkBytes: MAX_CHUNK_BYTES,
    maxCommandTimeoutMs: Number.MAX_SAFE_INTEGER,
    create,
    get: (sessionId) => Effect.map(lookup(sessionId), (s) => s.info),
    list,
    delete: (sessionId) =>
      Effect.flatMap(lookup(sessionId), () => Effect.promise(() => destroy(sessionId))),
    setLabels,
    getLabels: (sessionId) => Effect.map(lookup(sessionId), (s) => s.info.labels),
    callTool
  }
}
