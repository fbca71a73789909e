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
import * as Pool from "effect/Pool"
import * as Schedule from "effect/Schedule"
import * as Scope from "effect/Scope"
import { type AgentBayError, type CreateError, InvalidArgumentError, TimeoutError } from "../AgentBayError.js"
import type { Service as Backend, Budget } from "../Backend.js"
import * as Op from "../Operation.js"
import type { CreateSessionParams, SessionInfo } from "../Session.js"
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
   * Whether the handler is made of other engine calls (each keeping its own
   * budget), so the operation's budget needs a timer of its own. Backend
   * calls keep the deadline themselves (one timer per call, no racing fiber).
   */
  readonly composite?: true
  readonly run: (request: R, backend: Backend, options: EngineOptions, budget: Budget) => Effect.Effect<Op.Success<R>, Op.Failure<R>>
}

type Handlers<Tags extends Op.Request["_tag"]> = {
  readonly [T in Tags]: Handler<Extract<Op.Request, { readonly _tag: T }>>
}

/** The requests whose handlers keep state in the engine (pools) or run other requests (tasks). */
type Composite = "RunTasks" | "CreatePool" | "AcquireSession" | "ReleaseSession" | "ClosePool"

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
const createCompensated = (backend: Backend, request: Op.CreateSession, budget: Budget) =>
  Effect.flatMap(Effect.forkDaemon(backend.create(request.params, budget)), (fiber) =>
    Fiber.join(fiber).pipe(
      Effect.onInterrupt(() =>
        Effect.forkDaemon(
          Effect.flatMap(Fiber.await(fiber), (exit) =>
            Exit.isSuccess(exit) ? Effect.ignore(backend.delete(exit.value.sessionId, budget)) : Effect.void)
        )
      )
    ))

/** A file operation: tool calls in the request's session, under the operation's budget. */
type FileRequest =
  | Op.ReadFile
  | Op.WriteFile
  | Op.ListDirectory
  | Op.CreateDirectory
  | Op.MoveFile
  | Op.DeleteFile
  | Op.GetFileInfo
  | Op.SearchFiles
  | Op.EditFile
  | Op.ReadMultipleFiles

const fileOperation = <R extends FileRequest>(
  name: string,
  idempotent: boolean,
  run: (call: ReturnType<typeof caller>, request: R, backend: Backend) => Effect.Effect<Op.Success<R>, Op.Failure<R>>
): Handler<R> => ({
  name,
  idempotent,
  budgetMs: operationBudget,
  run: (request, backend, _options, budget) => run(caller(backend, request.sessionId, budget), request, backend)
})

const handlers: Handlers<Exclude<Op.Request["_tag"], Composite>> = {
  CreateSession: {
    name: "create",
    idempotent: false,
    budgetMs: (r, o) => r.timeoutMs ?? o.createTimeoutMs ?? DEFAULTS.createTimeoutMs,
    run: (r, b, _o, budget) => createCompensated(b, r, budget)
  },
  GetSession: { name: "get", idempotent: true, budgetMs: operationBudget, run: (r, b, _o, t) => b.get(r.sessionId, t) },
  ListSessions: { name: "list", idempotent: true, budgetMs: operationBudget, run: (r, b, _o, t) => b.list(r.params, t) },
  DeleteSession: {
    name: "delete",
    idempotent: true,
    budgetMs: operationBudget,
    run: (r, b, _o, t) => b.delete(r.sessionId, t)
  },
  GetSessionInfo: {
    name: "info",
    idempotent: true,
    budgetMs: operationBudget,
    run: (r, b, _o, t) => b.get(r.sessionId, t)
  },
  SetLabels: {
    name: "setLabels",
    idempotent: true,
    budgetMs: operationBudget,
    run: (r, b, _o, t) => b.setLabels(r.sessionId, r.labels, t)
  },
  GetLabels: {
    name: "getLabels",
    idempotent: true,
    budgetMs: operationBudget,
    run: (r, b, _o, t) => b.getLabels(r.sessionId, t)
  },
  ExecuteCommand: {
    name: "executeCommand",
    idempotent: false,
    budgetMs: commandBudget,
    run: (r, b, o, budget) => Tools.executeCommand(caller(b, r.sessionId, budget), b, r, o.commandTimeoutMs ?? DEFAULTS.commandTimeoutMs)
  },
  RunCode: {
    name: "runCode",
    idempotent: false,
    budgetMs: commandBudget,
    run: (r, b, o, budget) => Tools.runCode(caller(b, r.sessionId, budget), r, o.commandTimeoutMs ?? DEFAULTS.commandTimeoutMs)
  },
  ReadFile: fileOperation("readFile", true, (call, r, b) => Tools.readFile(call, b, r)),
  WriteFile: fileOperation("writeFile", false, (call, r, b) => Tools.writeFile(call, b, r)),
  ListDirectory: fileOperation("listDirectory", true, (call, r) => Tools.listDirectory(call, r)),
  CreateDirectory: fileOperation("createDirectory", true, (call, r) => Tools.createDirectory(call, r)),
  MoveFile: fileOperation("moveFile", false, (call, r) => Tools.moveFile(call, r)),
  DeleteFile: fileOperation("deleteFile", false, (call, r) => Tools.deleteFile(call, r)),
  GetFileInfo: fileOperation("getFileInfo", true, (call, r) => Tools.getFileInfo(call, r)),
  SearchFiles: fileOperation("searchFiles", true, (call, r) => Tools.searchFiles(call, r)),
  EditFile: fileOperation("editFile", false, (call, r) => Tools.editFile(call, r)),
  ReadMultipleFiles: fileOperation("readMultipleFiles", true, (call, r) => Tools.readMultipleFiles(call, r))
}

/** Runs requests on a backend. */
export interface Engine {
  readonly execute: <R extends Op.Request>(request: R) => Effect.Effect<Op.Success<R>, Op.Failure<R>>
}

interface PoolState {
  readonly pool: Pool.Pool<SessionInfo, CreateError>
  readonly scope: Scope.CloseableScope
  /** The scope of each lent session; closing it gives the session back. */
  readonly leases: Map<string, Scope.CloseableScope>
}

const unknownPool = (poolId: string) =>
  new InvalidArgumentError({ argument: "poolId", detail: `no pool ${poolId} (it was closed, or belongs to another client)` })

const compositeBudgets: { readonly [T in Composite]: Handler<Extract<Op.Request, { readonly _tag: T }>>["budgetMs"] } = {
  RunTasks: (r, o) =>
    r.timeoutMs ??
      Math.ceil(r.tasks.length / r.concurrency) *
        ((o.createTimeoutMs ?? DEFAULTS.createTimeoutMs) + (o.commandTimeoutMs ?? DEFAULTS.commandTimeoutMs) + Tools.COMMAND_GRACE_MS),
  CreatePool: (r, o) => r.timeoutMs ?? (o.createTimeoutMs ?? DEFAULTS.createTimeoutMs) * 2,
  AcquireSession: operationBudget,
  ReleaseSession: operationBudget,
  ClosePool: operationBudget
}

/** The time budget of a request under a client's options. */
export const budgetOf = (request: Op.Request, options: EngineOptions): number => {
  const budget = (request._tag in compositeBudgets
    ? compositeBudgets[request._tag as Composite]
    : handlers[request._tag as Exclude<Op.Request["_tag"], Composite>].budgetMs) as (r: Op.Request, o: EngineOptions) => number
  return budget(request, options)
}

const compositeNames: { readonly [T in Composite]: string } = {
  RunTasks: "runTasks",
  CreatePool: "createPool",
  AcquireSession: "acquire",
  ReleaseSession: "release",
  ClosePool: "close"
}

/** AgentBay's name of the operation of a request. */
export const nameOf = (request: Op.Request): string =>
  request._tag in compositeNames
    ? compositeNames[request._tag as Composite]
    : handlers[request._tag as Exclude<Op.Request["_tag"], Composite>].name

/** Handlers that run other requests through the engine, and the pools' state. */
const compositeHandlers = (execute: Engine["execute"]): Handlers<Composite> => {
  const pools = new Map<string, PoolState>()
  const scopedSession = (params: CreateSessionParams) =>
    Effect.acquireRelease(
      Effect.interruptible(execute(new Op.CreateSession({ params }))),
      (info) => Effect.ignore(execute(new Op.DeleteSession({ sessionId: info.sessionId })))
    )
  const closeOnFailure = <A, E, R>(scope: Scope.CloseableScope, effect: Effect.Effect<A, E, R>) =>
    Effect.onExit(effect, (exit) => (Exit.isSuccess(exit) ? Effect.void : Scope.close(scope, exit)))
  /** The handler of an operation on one pool: an unknown pool id is a typed error. */
  const onPool = <R extends Op.AcquireSession | Op.ReleaseSession | Op.ClosePool>(
    tag: R["_tag"],
    idempotent: boolean,
    run: (state: PoolState, request: R) => Effect.Effect<Op.Success<R>, Op.Failure<R>>
  ): Handler<R> => ({
    name: compositeNames[tag],
    composite: true,
    idempotent,
    budgetMs: operationBudget,
    run: (r) =>
      Effect.suspend(() => {
        const state = pools.get(r.poolId)
        return state === undefined ? Effect.fail(unknownPool(r.poolId) as Op.Failure<R>) : run(state, r)
      })
  })

  return {
    RunTasks: {
      name: compositeNames.RunTasks,
      composite: true,
      idempotent: false,
      budgetMs: compositeBudgets.RunTasks,
      run: (r) =>
        Effect.forEach(
          r.tasks,
          (task) =>
            Effect.scoped(Effect.flatMap(scopedSession(task.params ?? {}), (info) =>
              execute(new Op.RunCode({
                sessionId: info.sessionId,
                code: task.code,
                language: task.language ?? "python",
                options: task.timeoutMs === undefined ? {} : { timeoutMs: task.timeoutMs }
              })))).pipe(
                Effect.match({
                  onSuccess: (result): Op.TaskOutcome => ({ success: true, result }),
                  onFailure: (failure): Op.TaskOutcome => ({ success: false, failure })
                })
              ),
          { concurrency: r.concurrency }
        )
    },
    CreatePool: {
      name: compositeNames.CreatePool,
      composite: true,
      idempotent: false,
      budgetMs: compositeBudgets.CreatePool,
      run: (r) =>
        Effect.uninterruptibleMask((restore) =>
          Effect.gen(function*() {
            const scope = yield* Scope.make()
            const pool = yield* Scope.extend(Pool.make({ acquire: scopedSession(r.params), size: r.size }), scope)
            // pre-warm: every session exists before the pool is handed out
            yield* closeOnFailure(
              scope,
              restore(Effect.scoped(Effect.forEach(Array.from({ length: r.size }), () => Pool.get(pool), { concurrency: "unbounded", discard: true })))
            )
            const poolId = `pool-${crypto.randomUUID()}`
            pools.set(poolId, { pool, scope, leases: new Map() })
            return new Op.PoolInfo({ poolId, size: r.size })
          })
        )
    },
    AcquireSession: onPool<Op.AcquireSession>("AcquireSession", false, (state) => {
      const take: Effect.Effect<SessionInfo, CreateError> = Effect.uninterruptibleMask((restore) =>
        Effect.gen(function*() {
          const lease = yield* Scope.make()
          const info = yield* closeOnFailure(lease, restore(Scope.extend(Pool.get(state.pool), lease)))
          // a pooled session may have expired meanwhile: replace it
          const alive = yield* Effect.either(execute(new Op.GetSession({ sessionId: info.sessionId })))
          if (alive._tag === "Left" && alive.left._tag === "SessionNotFoundError") {
            yield* state.pool.invalidate(info)
            yield* Scope.close(lease, Exit.void)
            return yield* restore(take)
          }
          state.leases.set(info.sessionId, lease)
          return info
        })
      )
      return take
    }),
    ReleaseSession: onPool<Op.ReleaseSession>("ReleaseSession", true, (state, r) => {
      const lease = state.leases.get(r.sessionId)
      if (lease === undefined) {
        return Effect.fail(
          new InvalidArgumentError({ argument: "session", detail: `${r.sessionId} is not lent out by pool ${r.poolId}` })
        )
      }
      state.leases.delete(r.sessionId)
      return Scope.close(lease, Exit.void)
    }),
    ClosePool: onPool<Op.ClosePool>("ClosePool", true, (state, r) => {
      pools.delete(r.poolId)
      return Effect.zipRight(
        Effect.forEach(state.leases.values(), (lease) => Scope.close(lease, Exit.void), { discard: true }),
        Scope.close(state.scope, Exit.void)
      )
    })
  }
}

/** An engine over `backend` with the client's options. */
export const makeEngine = (backend: Backend, options: EngineOptions = {}): Engine => {
  const schedule = retrySchedule(options.retry)
  const all: Handlers<Op.Request["_tag"]> = { ...handlers, ...compositeHandlers((request) => execute(request)) }
  const execute = <R extends Op.Request>(request: R): Effect.Effect<Op.Success<R>, Op.Failure<R>> => {
    const handler = all[request._tag] as unknown as Handler<R>
    const timeoutMs = handler.budgetMs(request, options)
    const attempt = Effect.suspend(() => {
      const run = handler.run(request, backend, options, { operation: handler.name, timeoutMs, deadline: Date.now() + timeoutMs })
      return !handler.composite
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
        // the stack where the span is made is always this line; capturing it cost ~8 µs a call (Promise list(): 47 → 38 µs)
        captureStackTrace: false,
        attributes: {
          "agentbay.backend": backend.kind,
          ...("sessionId" in request ? { "agentbay.session_id": request.sessionId } : {})
        }
      })
    ) as Effect.Effect<Op.Success<R>, Op.Failure<R>>
  }
  return { execute }
}
