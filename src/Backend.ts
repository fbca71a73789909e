/**
 * A backend is where sessions live: the embedded local sandbox, or AgentBay's
 * cloud. It manages sessions and calls AgentBay's MCP tools (`shell`,
 * `run_code`, `read_file`, ...) in them; everything a session does is built
 * on `callTool`, so backends differ only in transport.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import type * as Effect from "effect/Effect"
import type { BackendError, CreateError, SessionError } from "./AgentBayError.js"
import type { CreateSessionParams, Labels, ListSessionsParams, SessionInfo, SessionList } from "./Session.js"

/**
 * An MCP `CallToolResult` as AgentBay's `CallMcpTool` returns it.
 *
 * @since 0.1.0
 * @category models
 */
export interface ToolResult {
  readonly content: ReadonlyArray<{ readonly type: "text"; readonly text: string }>
  readonly isError: boolean
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Service {
  readonly kind: "local" | "cloud"
  /** Largest payload one tool call may carry; bigger reads and writes are chunked. */
  readonly maxChunkBytes: number
  /** Longest command timeout the backend accepts (longer ones are clamped). */
  readonly maxCommandTimeoutMs: number
  /**
   * Every method keeps the `budget` of the operation it serves: past its
   * deadline it fails with a `TimeoutError` (as a transport enforces its own
   * timeout), having cancelled what it started; a session created too late
   * is deleted.
   */
  readonly create: (params: CreateSessionParams, budget: Budget) => Effect.Effect<SessionInfo, CreateError>
  readonly get: (sessionId: string, budget: Budget) => Effect.Effect<SessionInfo, SessionError>
  readonly list: (params: ListSessionsParams, budget: Budget) => Effect.Effect<SessionList, BackendError>
  readonly delete: (sessionId: string, budget: Budget) => Effect.Effect<void, SessionError>
  readonly setLabels: (sessionId: string, labels: Labels, budget: Budget) => Effect.Effect<void, SessionError>
  readonly getLabels: (sessionId: string, budget: Budget) => Effect.Effect<Labels, SessionError>
  /**
   * Calls a tool in a session. Interrupting the effect cancels the call (the
   * local backend kills what it started).
   */
  readonly callTool: (
    sessionId: string,
    tool: string,
    args: Record<string, unknown>,
    budget: Budget
  ) => Effect.Effect<ToolResult, SessionError>
}

/**
 * The time budget of the operation a tool call belongs to.
 *
 * @since 0.1.0
 * @category models
 */
export interface Budget {
  /** The operation's name, for its `TimeoutError`. */
  readonly operation: string
  readonly timeoutMs: number
  /** `Date.now()` at which the operation's budget runs out. */
  readonly deadline: number
}

/**
 * @since 0.1.0
 * @category tags
 */
export class Backend extends Context.Tag("effect-agentbay/Backend")<Backend, Service>() {}
