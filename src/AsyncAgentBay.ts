/**
 * The Promise client, `AsyncAgentBay`: AgentBay's async API in TypeScript.
 * Every method runs the engine's effect on the client's own runtime and
 * resolves to an AgentBay-style result (`success`, `errorMessage`, data, and
 * on failure the typed `failure`). Every call takes an `AbortSignal`; sessions
 * and pools support `await using`.
 *
 * @example
 * ```ts
 * import { AsyncAgentBay } from "effect-agentbay"
 *
 * const agentBay = new AsyncAgentBay()
 * await using session = (await agentBay.create()).session!
 * const result = await session.command.executeCommand("echo 'Hello World'")
 * console.log(result.output)
 * ```
 *
 * @since 0.1.0
 */
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as ManagedRuntime from "effect/ManagedRuntime"
import type { ClientApi, PoolApi, PromiseDoor, SessionApi } from "./Api.js"
import * as AgentBay from "./AgentBay.js"
import { AgentBayError } from "./Exceptions.js"
import type * as LocalBackend from "./LocalBackend.js"
import { type PoolInfo, toRequest } from "./Operation.js"
import type { SessionInfo } from "./Session.js"
import { callOptions, clientMethods, type Invoke, poolMethods, sessionMethods } from "./internal/doors.js"
import { argumentException, toResult } from "./internal/results.js"

/**
 * Options of the Promise and blocking clients: the client options of the
 * Effect API (timeouts, retry) and the local backend's options.
 *
 * @since 0.1.0
 * @category models
 */
export interface ClientOptions extends AgentBay.Options, LocalBackend.Options {}

/**
 * A session of the Promise client.
 *
 * @since 0.1.0
 * @category models
 */
export interface AsyncSession extends SessionApi<PromiseDoor>, AsyncDisposable {}

/**
 * A session pool of the Promise client.
 *
 * @since 0.1.0
 * @category models
 */
export interface AsyncSessionPool extends PoolApi<PromiseDoor, AsyncSession>, AsyncDisposable {
  /** Lends a session to `fn` and takes it back afterwards, whatever `fn` does. */
  use<A>(fn: (session: AsyncSession) => Promise<A>): Promise<A>
}

/**
 * @since 0.1.0
 * @category models
 */
export interface AsyncAgentBay extends ClientApi<PromiseDoor, AsyncSession, AsyncSessionPool> {}

/**
 * The Promise client.
 *
 * @since 0.1.0
 * @category clients
 */
export class AsyncAgentBay implements AsyncDisposable {
  /** The runtime the client's effects run on. */
  readonly runtime: ManagedRuntime.ManagedRuntime<AgentBay.AgentBay, never>
  private closed = false

  constructor(options: ClientOptions = {}) {
    this.runtime = ManagedRuntime.make(AgentBay.layerLocal(options))
    const service = this.runtime.runSync(AgentBay.AgentBay)
    const invoke: Invoke = (method, args, target) => {
      if (this.closed) {
        return Promise.reject(
          new AgentBayError("This AsyncAgentBay was closed. Keep one client for the program's life, or create a new one.")
        )
      }
      const { signal } = callOptions(method, args)
      if (signal?.aborted) return Promise.reject(signal.reason)
      return Either.match(toRequest(method, args, target), {
        onLeft: (error) => Promise.reject(argumentException(method, error)),
        onRight: (request) =>
          this.runtime.runPromiseExit(service.execute(request) as Effect.Effect<unknown, unknown>, signal ? { signal } : undefined).then(
            (exit) => {
              if (signal?.aborted && Exit.isInterrupted(exit)) throw signal.reason
              return toResult(method, exit, { session: hydrateSession, pool: hydratePool })
            }
          )
      })
    }
    const hydrateSession = (info: SessionInfo): AsyncSession => this.session(info.sessionId)
    const hydratePool = (info: PoolInfo): AsyncSessionPool => {
      const methods = poolMethods(info.poolId, invoke) as Pick<AsyncSessionPool, "acquire" | "release" | "close">
      const pool: AsyncSessionPool = {
        poolId: info.poolId,
        size: info.size,
        ...methods,
        use: async (fn) => {
          const lent = await methods.acquire()
          if (!lent.success) throw new AgentBayError(lent.errorMessage, lent.failure)
          try {
            return await fn(lent.session)
          } finally {
            await methods.release(lent.session)
          }
        },
        [Symbol.asyncDispose]: async () => {
          await methods.close()
        }
      }
      return pool
    }
    this.session = (sessionId) => {
      const session: AsyncSession = {
        sessionId,
        ...(sessionMethods(sessionId, invoke) as Omit<AsyncSession, "sessionId" | typeof Symbol.asyncDispose>),
        [Symbol.asyncDispose]: async () => {
          await session.delete()
        }
      }
      return session
    }
    Object.assign(this, clientMethods(invoke))
  }

  /** The session object for an id, without a call. */
  readonly session: (sessionId: string) => AsyncSession

  /**
   * Stops the client's runtime. Sessions live on (other clients, or their
   * expiry, or the process's exit, end them): delete them first if they are yours.
   */
  close(): Promise<void> {
    this.closed = true
    return this.runtime.dispose()
  }

  /** Same as {@link close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close()
  }
}

/**
 * A limiter of concurrency for any async work (the guide's semaphore, on
 * Effect's `Semaphore`): at most `concurrency` calls of the returned function
 * run at once; the others wait their turn.
 *
 * @example
 * ```ts
 * const limit = limitConcurrency(5)
 * const results = await Promise.all(tasks.map((task) => limit(() => run(task))))
 * ```
 *
 * @since 0.1.0
 * @category concurrency
 */
export const limitConcurrency = (concurrency: number): (<A>(task: () => Promise<A>) => Promise<A>) => {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new AgentBayError(`concurrency must be a positive integer, not ${concurrency}`)
  }
  const semaphore = Effect.runSync(Effect.makeSemaphore(concurrency))
  return (task) =>
    Effect.runPromiseExit(semaphore.withPermits(1)(Effect.tryPromise({ try: task, catch: (error) => error }))).then(
      // the task's own rejection, not a FiberFailure around it
      (exit) => (Exit.isSuccess(exit) ? exit.value : Promise.reject(Cause.squash(exit.cause)))
    )
}
