/**
 * The Effect API: the `AgentBay` service. Every operation is an `Effect`
 * with its typed errors, a time budget, a retry schedule for retryable
 * failures and a tracing span; `session` scopes a session to a `Scope`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { AgentBay } from "effect-agentbay/effect"
 *
 * const program = Effect.gen(function*() {
 *   const session = yield* AgentBay.session()
 *   const result = yield* session.command.executeCommand("echo hi")
 *   console.log(result.stdout)
 * })
 *
 * Effect.runPromise(program.pipe(Effect.scoped, Effect.provide(AgentBay.layerLocal())))
 * ```
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import type * as Scope from "effect/Scope"
import type { CallOptions, ClientApi, EffectDoor, PoolApi } from "./Api.js"
import type { CreateError } from "./AgentBayError.js"
import { Backend } from "./Backend.js"
import * as LocalBackend from "./LocalBackend.js"
import type * as Operation from "./Operation.js"
import { type PoolInfo, toRequest } from "./Operation.js"
import type { CreateSessionParams, Session, SessionInfo } from "./Session.js"
import type { SessionPool } from "./SessionPool.js"
import { clientMethods, type Invoke, poolMethods, sessionMethods } from "./internal/doors.js"
import { DEFAULTS, type EngineOptions, makeEngine, type RetryOptions as RetryOptions_ } from "./internal/engine.js"

/**
 * Client options. Defaults: `timeoutMs` 60000 (any operation but commands and
 * code runs), `createTimeoutMs` 60000, `commandTimeoutMs` 60000 (a command's
 * or code run's own limit, when the call gives none; its operation gets 5000
 * more), `retry` `{ times: 3, baseDelayMs: 100, maxDelayMs: 2000 }`: retryable
 * failures are retried with jittered exponential backoff, non-idempotent
 * operations only when the failure proves nothing happened (rate limiting).
 *
 * @since 0.1.0
 * @category models
 */
export interface Options extends EngineOptions {}

/**
 * @since 0.1.0
 * @category models
 */
export interface RetryOptions extends RetryOptions_ {}

/**
 * The defaults of {@link Options}.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaults = DEFAULTS

/**
 * @since 0.1.0
 * @category models
 */
export interface Service extends ClientApi<EffectDoor, Session, SessionPool> {
  readonly backend: Backend["Type"]
  /** A session deleted when the scope closes (on success, failure and interruption). */
  readonly session: (params?: CreateSessionParams, options?: CallOptions) => Effect.Effect<Session, CreateError, Scope.Scope>
  /** The session object for an id, without a call (operations fail with `SessionNotFoundError` if it does not exist). */
  readonly sessionFor: (sessionId: string) => Session
  /** Runs any request of the operation table. */
  readonly execute: <R extends Operation.Request>(
    request: R
  ) => Effect.Effect<Operation.Success<R>, Operation.Failure<R>>
}

/**
 * @since 0.1.0
 * @category tags
 */
export class AgentBay extends Context.Tag("effect-agentbay/AgentBay")<AgentBay, Service>() {}

/**
 * Makes the service over a backend.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeWith = (backend: Backend["Type"], options: Options = {}): Service => {
  const engine = makeEngine(backend, options)
  const sessionFor = (sessionId: string): Session => ({ sessionId, ...sessionMethods(sessionId, invoke) }) as Session
  const poolFor = (info: PoolInfo): SessionPool => {
    const methods = poolMethods(info.poolId, invoke) as Pick<PoolApi<EffectDoor, Session>, "acquire" | "release" | "close">
    return {
      poolId: info.poolId,
      size: info.size,
      ...methods,
      use: (f) =>
        Effect.acquireUseRelease(
          Effect.interruptible(methods.acquire()),
          f,
          (session) => Effect.ignore(methods.release(session))
        )
    }
  }
  const invoke: Invoke = (method, args, target) =>
    Either.match(toRequest(method, args, target), {
      onLeft: (error) => Effect.fail(error),
      onRight: (request) => {
        const effect = engine.execute(request) as Effect.Effect<any, any>
        return method.returns === "session"
          ? Effect.map(effect, (info: SessionInfo) => sessionFor(info.sessionId))
          : method.returns === "pool"
          ? Effect.map(effect, poolFor)
          : effect
      }
    })
  const client = clientMethods(invoke) as unknown as ClientApi<EffectDoor, Session, SessionPool>
  return {
    ...client,
    backend,
    sessionFor,
    execute: engine.execute,
    session: (params, options) =>
      Effect.acquireRelease(
        // acquire runs uninterruptibly: make the wait interruptible so its
        // timeout works (a session that arrives late is deleted by the engine)
        Effect.interruptible(client.create(params, options)),
        (session) => Effect.ignore(session.delete())
      )
  }
}

/**
 * Makes the service over the `Backend` in context.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options?: Options): Effect.Effect<Service, never, Backend> =>
  Effect.map(Backend, (backend) => makeWith(backend, options))

/**
 * The service over the `Backend` in context.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options?: Options): Layer.Layer<AgentBay, never, Backend> => Layer.effect(AgentBay, make(options))

/**
 * The service over the embedded local backend.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerLocal = (options?: Options & LocalBackend.Options): Layer.Layer<AgentBay> =>
  layer(options).pipe(Layer.provide(LocalBackend.layer(options)))

/**
 * Creates a session deleted when the scope closes.
 *
 * @since 0.1.0
 * @category accessors
 */
export const session = (
  params?: CreateSessionParams,
  options?: CallOptions
): Effect.Effect<Session, CreateError, AgentBay | Scope.Scope> => Effect.flatMap(AgentBay, (bay) => bay.session(params, options))

/**
 * Creates a session (delete it yourself, or use {@link session}).
 *
 * @since 0.1.0
 * @category accessors
 */
export const create = (params?: CreateSessionParams, options?: CallOptions): Effect.Effect<Session, CreateError, AgentBay> =>
  Effect.flatMap(AgentBay, (bay) => bay.create(params, options))
