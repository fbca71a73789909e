/**
 * effect-agentbay: AgentBay agent sandboxes for TypeScript, built on Effect.
 *
 * - `AsyncAgentBay`: the Promise client.
 * - `AgentBay`: the blocking client, for scripts and CLIs.
 * - `effect-agentbay/effect`: the Effect API.
 *
 * @since 0.1.0
 */
export type { CallOptions, Failed, Result, Succeeded } from "./Api.js"
export { AgentBay, type Session, type SessionPool } from "./BlockingAgentBay.js"
export { type AsyncSession, type AsyncSessionPool, AsyncAgentBay, type ClientOptions, limitConcurrency } from "./AsyncAgentBay.js"
export type { CodeResult, ExecutionError, ExecutionResult, LanguageName } from "./Code.js"
export type { CommandOptions, CommandResult } from "./Command.js"
export { AgentBayError, APIError, AuthenticationError, CommandError, FileError, SessionError } from "./Exceptions.js"
export type { DirectoryEntry, Edit, FileInfo, WriteMode } from "./FileSystem.js"
export type { Task, TaskOutcome } from "./Operation.js"
export type { Labels, ListSessionsParams, SessionInfo, SessionList, SessionStatus } from "./Session.js"
import type { CreateSessionParams as Params } from "./Session.js"

/**
 * The typed errors carried by results (`result.error`), by `_tag`.
 *
 * @since 0.1.0
 */
export type { AgentBayError as TypedError } from "./AgentBayError.js"

/**
 * Parameters of `create`: `imageId` (default `"code_latest"`) and `labels`.
 *
 * @since 0.1.0
 * @category models
 */
export type CreateSessionParams = Params

/**
 * Builds `CreateSessionParams`, as AgentBay's SDKs spell it:
 * `agentBay.create(CreateSessionParams({ imageId: "code_latest" }))`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const CreateSessionParams = (params: Params = {}): Params => params
