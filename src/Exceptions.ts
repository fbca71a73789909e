/**
 * The exceptions of the Promise and blocking clients, named as AgentBay's
 * SDKs name them. Like AgentBay, the clients return results with
 * `success: false` for failed operations and throw only for bad arguments
 * (and, on the cloud, missing credentials). Each exception carries the typed
 * error it stands for as `failure` (and `cause`).
 *
 * @since 0.1.0
 */
import type * as AgentBayErrors from "./AgentBayError.js"

/**
 * The base of every exception the clients throw.
 *
 * @since 0.1.0
 * @category exceptions
 */
export class AgentBayError extends Error {
  /** The typed error this exception stands for, when there is one. */
  readonly failure: AgentBayErrors.AgentBayError | undefined
  constructor(message: string, failure?: AgentBayErrors.AgentBayError) {
    super(message, failure === undefined ? undefined : { cause: failure })
    this.failure = failure
  }
  override get name(): string {
    return this.constructor.name
  }
}

/**
 * No or bad credentials.
 *
 * @since 0.1.0
 * @category exceptions
 */
export class AuthenticationError extends AgentBayError {}

/**
 * The service failed a request.
 *
 * @since 0.1.0
 * @category exceptions
 */
export class APIError extends AgentBayError {
  constructor(message: string, readonly statusCode?: number, failure?: AgentBayErrors.AgentBayError) {
    super(message, failure)
  }
}

/**
 * Bad arguments to a client or session call.
 *
 * @since 0.1.0
 * @category exceptions
 */
export class SessionError extends AgentBayError {}

/**
 * Bad arguments to a file operation.
 *
 * @since 0.1.0
 * @category exceptions
 */
export class FileError extends AgentBayError {}

/**
 * Bad arguments to `executeCommand` or `runCode`.
 *
 * @since 0.1.0
 * @category exceptions
 */
export class CommandError extends AgentBayError {}
