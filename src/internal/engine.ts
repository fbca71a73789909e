/**
 * The engine: runs any request of the operation table on a backend, with the
 * operation's time budget, the retry schedule and a tracing span. Every door
 * ends here.
 *
 * @internal
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Schedule from "effect/Schedule"
import { type AgentBayError, TimeoutError } from "../AgentBayError.js"
import type { Service as Backend, Budget } from "../Backend.js"
import type * as Op from "../Operation.js"
import * as Tools from "./tools.js"

/** Client options that shape every call. */
export interface EngineOptions {
  /** Budget of an operation other than commands and code runs (default 60000 ms). */
  readonly timeoutMs?: number
  /** Budget of `create` (default 60000 ms). */
  readonly createTimeoutMs?: number
  /** Default time limit of a command or code run (default 60000 ms). */
  readonly commandTimeoutMs?: number
  /** Retries of retryable failures, with exponential backoff; `false` turns them off. */
  readonly retry?: RetryOptions | false
}

/** Exponential backoff: `baseDelayMs * 2^n` capped at `maxDelayMs`, jittered, at most `times` retries. */
export interface RetryOptions {
  readonly times?: number
  readonly baseDelayMs?: number
  readonly maxDelayMs?: number
}

export const DEFAULTS = {
  timeoutMs: 60_000,
  createTimeoutMs: 60_000,
  commandTimeoutMs: 60_000,
  retry: { times: 3, baseDelayMs: 100, maxDelayMs: 2_000 }
} as const

/** The retry schedule of a client. */
export const retrySchedule = (retry: RetryOptions | false | undefined): Schedule.Schedule<unknown, AgentBayError> => {
  if (retry === false) return Schedule.stop
  const times = retry?.times ?? DEFAULTS.retry.times
  const base = retry?.baseDelayMs ?? DEFAULTS.retry.baseDelayMs
  const max = retry?.maxDelayMs ?? DEFAULTS.retry.maxDelayMs
  return Schedule.exponential(Duration.millis(base)).pipe(
    Schedule.modifyDelay((d) => Duration.min(d, Duration.millis(max))),
    Schedule.jittered,
    Schedule.intersect(Schedule.recurs(times))
  )
}

/** Errors that prove the request had no effect, so even a non-idempotent call may be sent again. */
const provesNothingHappened = (error: AgentBayError): boolean =>
  error._tag === "RateLimitedError" ||
  error._tag === "SessionCreationError" ||
  (error._tag === "NetworkError" && error.reason === "Connect")

interface Handler<R extends Op.Request> {
  /** AgentBay's name of the operation (spans, timeout messages). */
  readonly name: string
  readonly idempotent: boolean
  readonly budgetMs: (request: R, options: EngineOptions) => number
  /**
   * Whether the operation is made of tool calls, which keep the budget's
   * deadline themselves (one timer per call instead of a racing fiber).
   */
  readonly tools?: true
  readonly run: (request: R, backend: Backend, options: EngineOptions, budget: Budget) => Effect.Effect<Op.Success<R>, Op.Failure<R>>
}

type Handlers = { readonly [T in Op.Request["_tag"]]: Handler<Extract<Op.Request, { readonly _tag: T }>> }

const operationBudget = (request: { readonly timeoutMs?: number | undefined }, options: EngineOptions) =>
  request.timeoutMs ?? options.timeoutMs ?? DEFAULTS.timeoutMs

const commandBudget = (request: { readonly options: { readonly timeoutMs?: number | undefined } }, options: EngineOptions) =>
  (request.options.timeoutMs ?? options.commandTimeoutMs ?? DEFAULTS.commandTimeoutMs) + Tools.COMMAND_GRACE_MS

const caller = (backend: Backend, sessionId: string, budget: Budget) => (tool: string, args: Record<string, unknown>) =>
  backend.callTool(sessionId, tool, args, budget)

/**
 * Creates a session so that a caller who stops waiting (timeout,
 * interruption) never leaks it: the creation runs on its own fiber and a
 * session that arrives late is deleted.
 */
const createCompensated = (backend: Backend, request: Op.CreateSession) =>
  Effect.flatMap(Effect.forkDaemon(backend.create(request.params)), (fiber) =>
    Fiber.join(fiber).pipe(
      Effect.onInterrupt(() =>
        Effect.forkDaemon(
          Effect.flatMap(Fiber.await(fiber), (exit) =>
            Exit.isSuccess(exit) ? Effect.ignore(backend.delete(exit.value.sessionId)) : Effect.void)
        )
      )
    ))

const handlers: Handlers = {
  CreateSession: {
    name: "create",
    idempotent: false,
    budgetMs: (r, o) => r.timeoutMs ?? o.createTimeoutMs ?? DEFAULTS.createTimeoutMs,
    run: (r, b) => createCompensated(b, r)
  },
  GetSession: { name: "get", idempotent: true, budgetMs: operationBudget, run: (r, b) => b.get(r.sessionId) },
  ListSessions: { name: "list", idempotent: true, budgetMs: operationBudget, run: (r, b) => b.list(r.params) },
  DeleteSession: { name: "delete", idempotent: true, budgetMs: operationBudget, run: (r, b) => b.delete(r.sessionId) },
  GetSessionInfo: { name: "info", idempotent: true, budgetMs: operationBudget, run: (r, b) => b.get(r.sessionId) },
  SetLabels: { name: "setLabels", idempotent: true, budgetMs: operationBudget, run: (r, b) => b.setLabels(r.sessionId, r.labels) },
  GetLabels: { name: "getLabels", idempotent: true, budgetMs: operationBudget, run: (r, b) => b.getLabels(r.sessionId) },
  ExecuteCommand: {
    name: "executeCommand",
    idempotent: false,
    budgetMs: commandBudget,
    tools: true,
    run: (r, b, o, budget) => Tools.executeCommand(caller(b, r.sessionId, budget), b, r, o.commandTimeoutMs ?? DEFAULTS.commandTimeoutMs)
  },
  RunCode: {
    name: "runCode",
    idempotent: false,
    budgetMs: commandBudget,
    tools: true,
    run: (r, b, o, budget) => Tools.runCode(caller(b, r.sessionId, budget), r, o.commandTimeoutMs ?? DEFAULTS.commandTimeoutMs)
  },
  ReadFile: {
    name: "readFile",
    idempotent: true,
    budgetMs: operationBudget,
    tools: true,
    run: (r, b, _o, budget) => Tools.readFile(caller(b, r.sessionId, budget), b, r)
  },
  WriteFile: {
    name: "writeFile",
    idempotent: false,
    budgetMs: operationBudget,
    tools: true,
    run: (r, b, _o, budget) => Tools.writeFile(caller(b, r.sessionId, budget), b, r)
  },
  ListDirectory: {
    name: "listDirectory",
    idempotent: true,
    budgetMs: operationBudget,
    tools: true,
    run: (r, b, _o, budget) => Tools.listDirectory(caller(b, r.sessionId, budget), r)
  },
  CreateDirectory: {
    name: "createDirectory",
    idempotent: true,
    budgetMs: operationBudget,
    tools: true,
    run: (r, b, _o, budget) => Tools.createDirectory(caller(b, r.sessionId, budget), r)
  },
  MoveFile: { name: "moveFile", idempotent: false, budgetMs: operationBudget, tools: true,
    run: (r, b, _o, budget) => Tools.moveFile(caller(b, r.sessionId, budget), r) },
  DeleteFile: {
    name: "deleteFile",
    idempotent: false,
    budgetMs: operationBudget,
    tools: true,
    run: (r, b, _o, budget) => Tools.deleteFile(caller(b, r.sessionId, budget), r)
  },
  GetFileInfo: {
    name: "getFileInfo",
    idempotent: true,
    budgetMs: operationBudget,
    tools: true,
    run: (r, b, _o, budget) => Tools.getFileInfo(caller(b, r.sessionId, budget), r)
  },
  SearchFiles: {
    name: "searchFiles",
    idempotent: true,
    budgetMs: operationBudget,
    tools: true,
    run: (r, b, _o, budget) => Tools.searchFiles(caller(b, r.sessionId, budget), r)
  },
  EditFile: { name: "editFile", idempotent: false, budgetMs: operationBudget, tools: true,
    run: (r, b, _o, budget) => Tools.editFile(caller(b, r.sessionId, budget), r) },
  ReadMultipleFiles: {
    name: "readMultipleFiles",
    idempotent: true,
    budgetMs: operationBudget,
    tools: true,
    run: (r, b, _o, budget) => Tools.readMultipleFiles(caller(b, r.sessionId, budget), r)
  }
}

/** Runs requests on a backend. */
export interface Engine {
  readonly execute: <R extends Op.Request>(request: R) => Effect.Effect<Op.Success<R>, Op.Failure<R>>
}

/** An engine over `backend` with the client's options. */
export const makeEngine = (backend: Backend, options: EngineOptions = {}): Engine => {
  const schedule = retrySchedule(options.retry)
  const execute = <R extends Op.Request>(request: R): Effect.Effect<Op.Success<R>, Op.Failure<R>> => {
    const handler = handlers[request._tag] as unknown as Handler<R>
    const timeoutMs = handler.budgetMs(request, options)
    const attempt = Effect.suspend(() => {
      const run = handler.run(request, backend, options, { operation: handler.name, timeoutMs, deadline: Date.now() + timeoutMs })
      return handler.tools
        ? run
        : Effect.timeoutFail(run, {
          duration: Duration.millis(timeoutMs),
          onTimeout: () => new TimeoutError({ operation: handler.name, timeoutMs }) as Op.Failure<R>
        })
    })
    const retried = Effect.retry(attempt, {
      schedule,
      while: (error) => {
        const e = error as AgentBayError
        return e.retryable && (handler.idempotent || provesNothingHappened(e))
      }
    })
    return retried.pipe(
      Effect.withSpan(`AgentBay.${handler.name}`, {
        attributes: {
          "agentbay.backend": backend.kind,
          ...("sessionId" in request ? { "agentbay.session_id": request.sessionId } : {})
        }
      })
    ) as Effect.Effect<Op.Success<R>, Op.Failure<R>>
  }
  return { execute }
}
