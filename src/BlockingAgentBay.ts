/**
 * The blocking client, `AgentBay`: AgentBay's sync API in TypeScript, for
 * scripts and CLIs. Same methods and results as `AsyncAgentBay`, without
 * `await`: each call enters through `Effect.runSync` and crosses a worker
 * bridge (a worker thread runs the effects while the caller waits on
 * `Atomics.wait`). The worker starts on first use, never keeps the process
 * alive, and the sessions it made are deleted when the process exits.
 * Sessions and pools support `using`.
 *
 * @example
 * ```ts
 * import { AgentBay } from "effect-agentbay"
 *
 * const agentBay = new AgentBay()
 * const session = agentBay.create().session!
 * const result = session.command.executeCommand("echo 'Hello World'")
 * console.log(result.output)
 * agentBay.delete(session)
 * ```
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type { BlockingDoor, ClientApi, PoolApi, SessionApi } from "./Api.js"
import type { ClientOptions } from "./AsyncAgentBay.js"
import { AgentBayError } from "./Exceptions.js"
import { type PoolInfo, toRequest } from "./Operation.js"
import type { SessionInfo } from "./Session.js"
import { bridge } from "./internal/blocking/bridge.js"
import { callOptions, clientMethods, type Invoke, poolMethods, sessionMethods } from "./internal/doors.js"
import { argumentException, toResult } from "./internal/results.js"

/**
 * A session of the blocking client.
 *
 * @since 0.1.0
 * @category models
 */
export interface Session extends SessionApi<BlockingDoor>, Disposable {}

/**
 * A session pool of the blocking client.
 *
 * @since 0.1.0
 * @category models
 */
export interface SessionPool extends PoolApi<BlockingDoor, Session>, Disposable {
  /** Lends a session to `fn` and takes it back afterwards, whatever `fn` does. */
  use<A>(fn: (session: Session) => A): A
}

/**
 * @since 0.1.0
 * @category models
 */
export interface AgentBay extends ClientApi<BlockingDoor, Session, SessionPool> {}

let nextClient = 0

const checkSerialisable = (options: ClientOptions): void => {
  for (const [key, value] of Object.entries(options)) {
    if (typeof value === "function" || typeof value === "symbol" || typeof value === "bigint") {
      throw new AgentBayError(`option ${key} cannot be passed to the blocking client's worker (it must be plain data)`)
    }
  }
}

/**
 * The blocking client.
 *
 * @since 0.1.0
 * @category clients
 */
export class AgentBay {
  constructor(options: ClientOptions = {}) {
    checkSerialisable(options)
    const client = ++nextClient
    const invoke: Invoke = (method, args, target) => {
      const { signal } = callOptions(method, args)
      // a blocked caller cannot be aborted meanwhile: an already aborted signal is honoured
      if (signal?.aborted) throw signal.reason
      return Either.match(toRequest(method, args, target), {
        onLeft: (error) => {
          throw argumentException(method, error)
        },
        onRight: (request) => {
          const exit = Effect.runSyncExit(Effect.flatten(Effect.sync(() => bridge.call(client, options, request))))
          return toResult(method, exit, { session: hydrateSession, pool: hydratePool })
        }
      })
    }
    const hydrateSession = (info: SessionInfo): Session => this.session(info.sessionId)
    const hydratePool = (info: PoolInfo): SessionPool => {
      const methods = poolMethods(info.poolId, invoke) as Pick<SessionPool, "acquire" | "release" | "close">
      return {
        poolId: info.poolId,
        size: info.size,
        ...methods,
        use: (fn) => {
          const lent = methods.acquire()
          if (!lent.success) throw new AgentBayError(lent.errorMessage, lent.failure)
          try {
            return fn(lent.session)
          } finally {
            methods.release(lent.session)
          }
        },
        [Symbol.dispose]: () => {
          methods.close()
        }
      }
    }
    this.session = (sessionId) => {
      const session: Session = {
        sessionId,
        ...(sessionMethods(sessionId, invoke) as Omit<Session, "sessionId" | typeof Symbol.dispose>),
        [Symbol.dispose]: () => {
          session.delete()
        }
      }
      return session
    }
    Object.assign(this, clientMethods(invoke))
  }

  /** The session object for an id, without a call. */
  readonly session: (sessionId: string) => Session
}
