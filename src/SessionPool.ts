/**
 * A pool of ready sessions, reused across tasks (on Effect's `Pool`): the
 * guide's "session pool" pattern as a built-in. Sessions are created before
 * the pool is handed out; `use` lends one for the duration of an effect;
 * closing the scope deletes them all.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import type { CallOptions, EffectDoor, PoolApi } from "./Api.js"
import type { BackendError, CreateError } from "./AgentBayError.js"
import { AgentBay } from "./AgentBay.js"
import type { CreateSessionParams, Session } from "./Session.js"

/**
 * @since 0.1.0
 * @category models
 */
export interface SessionPool extends PoolApi<EffectDoor, Session> {
  /** Lends a session to `f` and takes it back afterwards, whatever `f` does. */
  readonly use: <A, E, R>(f: (session: Session) => Effect.Effect<A, E, R>) => Effect.Effect<A, E | CreateError | BackendError, R>
}

/**
 * Options of {@link make}: `size` sessions (default 5) created with `params`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly size?: number
  readonly params?: CreateSessionParams
}

/**
 * A pool that lives as long as the scope.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options?: Options,
  callOptions?: CallOptions
): Effect.Effect<SessionPool, CreateError, AgentBay | Scope.Scope> =>
  Effect.flatMap(AgentBay, (bay) =>
    Effect.acquireRelease(Effect.interruptible(bay.createPool(options, callOptions)), (pool) => Effect.ignore(pool.close())))
