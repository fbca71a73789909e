/**
 * The typed errors of every AgentBay operation. Each error says what happened
 * and what to do (`message`), and whether trying again can help (`retryable`).
 * All are `Schema.TaggedError`s with serialisable fields, so they cross the
 * worker bridge and the wire as themselves.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * The session does not exist (never did, was deleted, or expired).
 *
 * @since 0.1.0
 * @category errors
 */
export class SessionNotFoundError extends Schema.TaggedError<SessionNotFoundError>(
  "effect-agentbay/SessionNotFoundError"
)("SessionNotFoundError", {
  sessionId: Schema.String
}) {
  /** @since 0.1.0 */
  get retryable(): boolean {
    return false
  }
  /** @since 0.1.0 */
  override get message(): string {
    return `Session ${this.sessionId} was not found: it was deleted, expired, or belongs to another backend. Create a new session.`
  }
}

/**
 * A session could not be created.
 *
 * @since 0.1.0
 * @category errors
 */
export class SessionCreationError extends Schema.TaggedError<SessionCreationError>(
  "effect-agentbay/SessionCreationError"
)("SessionCreationError", {
  reason: Schema.Literal("LimitReached", "UnsupportedImage", "StartFailed", "Rejected"),
  detail: Schema.String
}) {
  /** @since 0.1.0 */
  get retryable(): boolean {
    return this.reason === "LimitReached" || this.reason === "StartFailed"
  }
  /** @since 0.1.0 */
  override get message(): string {
    const what = {
      LimitReached: "Delete sessions you no longer need, or raise the backend's maxSessions.",
      UnsupportedImage: "Use an image this backend supports.",
      StartFailed: "Try again; if it persists, run `npx effect-agentbay doctor`.",
      Rejected: "Check the parameters and your account's quota."
    }[this.reason]
    return `Session creation failed (${this.reason}): ${this.detail}. ${what}`
  }
}

/**
 * An argument was rejected before anything ran.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidArgumentError extends Schema.TaggedError<InvalidArgumentError>(
  "effect-agentbay/InvalidArgumentError"
)("InvalidArgumentError", {
  argument: Schema.String,
  detail: Schema.String
}) {
  /** @since 0.1.0 */
  get retryable(): boolean {
    return false
  }
  /** @since 0.1.0 */
  override get message(): string {
    return `Invalid argument ${this.argument}: ${this.detail}. Correct it and call again.`
  }
}

/**
 * The operation did not finish within its time budget and was abandoned
 * (anything it started in the sandbox was killed).
 *
 * @since 0.1.0
 * @category errors
 */
export class TimeoutError extends Schema.TaggedError<TimeoutError>("effect-agentbay/TimeoutError")("TimeoutError", {
  operation: Schema.String,
  timeoutMs: Schema.Number
}) {
  /** @since 0.1.0 */
  get retryable(): boolean {
    return false
  }
  /** @since 0.1.0 */
  override get message(): string {
    return `${this.operation} timed out after ${this.timeoutMs} ms. Pass a larger timeoutMs to the call or to the client.`
  }
}

/**
 * No file or directory at the path.
 *
 * @since 0.1.0
 * @category errors
 */
export class FileNotFoundError extends Schema.TaggedError<FileNotFoundError>("effect-agentbay/FileNotFoundError")(
  "FileNotFoundError",
  { path: Schema.String }
) {
  /** @since 0.1.0 */
  get retryable(): boolean {
    return false
  }
  /** @since 0.1.0 */
  override get message(): string {
    return `No such file or directory: ${this.path}. Check the path (see listDirectory) or create it first.`
  }
}

/**
 * A directory was expected, but the path (or one of its parents) is something else.
 *
 * @since 0.1.0
 * @category errors
 */
export class NotADirectoryError extends Schema.TaggedError<NotADirectoryError>("effect-agentbay/NotADirectoryError")(
  "NotADirectoryError",
  { path: Schema.String }
) {
  /** @since 0.1.0 */
  get retryable(): boolean {
    return false
  }
  /** @since 0.1.0 */
  override get message(): string {
    return `Not a directory: ${this.path}. Use a directory path here.`
  }
}

/**
 * A file was expected, but the path is a directory.
 *
 * @since 0.1.0
 * @category errors
 */
export class IsADirectoryError extends Schema.TaggedError<IsADirectoryError>("effect-agentbay/IsADirectoryError")(
  "IsADirectoryError",
  { path: Schema.String }
) {
  /** @since 0.1.0 */
  get retryable(): boolean {
    return false
  }
  /** @since 0.1.0 */
  override get message(): string {
    return `Is a directory: ${this.path}. Use listDirectory for directories, or pass { recursive: true } to deleteFile.`
  }
}

/**
 * Something already exists where the operation would create a file or directory.
 *
 * @since 0.1.0
 * @category errors
 */
export class FileExistsError extends Schema.TaggedError<FileExistsError>("effect-agentbay/FileExistsError")(
  "FileExistsError",
  { path: Schema.String }
) {
  /** @since 0.1.0 */
  get retryable(): boolean {
    return false
  }
  /** @since 0.1.0 */
  override get message(): string {
    return `Already exists: ${this.path}. Choose another path, delete it first, or write with mode "overwrite".`
  }
}

/**
 * The path resolves (symlinks included) outside the directories the file
 * operations may touch: the session's workspace and its `/tmp`.
 *
 * @since 0.1.0
 * @category errors
 */
export class PathOutsideWorkspaceError extends Schema.TaggedError<PathOutsideWorkspaceError>(
  "effect-agentbay/PathOutsideWorkspaceError"
)("PathOutsideWorkspaceError", {
  path: Schema.String,
  allowed: Schema.Array(Schema.String)
}) {
  /** @since 0.1.0 */
  get retryable(): boolean {
    return false
  }
  /** @since 0.1.0 */
  override get message(): string {
    const allowed = this.allowed.length > 0 ? this.allowed.join(", ") : "the session's workspace"
    return `Refused: ${this.path} is outside the session's workspace (${allowed}). Use a path inside it; to inspect the rest of the sandbox, run a command.`
  }
}

/**
 * Any other failure of a file operation, by errno-like reason.
 *
 * @since 0.1.0
 * @category errors
 */
export class FileSystemError extends Schema.TaggedError<FileSystemError>("effect-agentbay/FileSystemError")(
  "FileSystemError",
  {
    reason: Schema.Literal("PermissionDenied", "NoSpace", "TooLarge", "NameTooLong", "Loop", "NotRegularFile", "Unknown"),
    path: Schema.String,
    detail: Schema.String
  }
) {
  /** @since 0.1.0 */
  get retryable(): boolean {
    return false
  }
  /** @since 0.1.0 */
  override get message(): string {
    const what = {
      PermissionDenied: "The sandbox user may not do this here.",
      NoSpace: "The workspace is full: delete files or create the session with a larger disk limit.",
      TooLarge: "The file exceeds the session's file size limit.",
      NameTooLong: "Use a shorter path.",
      Loop: "The path runs through a symlink loop.",
      NotRegularFile: "Only regular files can be read or edited.",
      Unknown: ""
    }[this.reason]
    return `File operation failed on ${this.path} (${this.reason}): ${this.detail}. ${what}`.trim()
  }
}

/**
 * The language is not one run_code supports (python, javascript and their aliases).
 *
 * @since 0.1.0
 * @category errors
 */
export class UnsupportedLanguageError extends Schema.TaggedError<UnsupportedLanguageError>(
  "effect-agentbay/UnsupportedLanguageError"
)("UnsupportedLanguageError", {
  language: Schema.String,
  supported: Schema.Array(Schema.String),
  detail: Schema.optionalWith(Schema.String, { exact: true })
}) {
  /** @since 0.1.0 */
  get retryable(): boolean {
    return false
  }
  /** @since 0.1.0 */
  override get message(): string {
    return `Unsupported language ${JSON.stringify(this.language)}${this.detail ? ` (${this.detail})` : ""}. Supported: ${this.supported.join(", ")}.`
  }
}

/**
 * The local sandbox cannot run here, or stopped working. `fix` says exactly
 * what to do. The SDK fails closed: it never falls back to running unsandboxed.
 *
 * @since 0.1.0
 * @category errors
 */
export class SandboxUnavailableError extends Schema.TaggedError<SandboxUnavailableError>(
  "effect-agentbay/SandboxUnavailableError"
)("SandboxUnavailableError", {
  reason: Schema.Literal("BubblewrapMissing", "NamespacesDenied", "StartFailed", "Crashed"),
  detail: Schema.String,
  fix: Schema.String
}) {
  /** @since 0.1.0 */
  get retryable(): boolean {
    return false
  }
  /** @since 0.1.0 */
  override get message(): string {
    return `The local sandbox is unavailable (${this.reason}): ${this.detail}. Fix: ${this.fix}`
  }
}

/**
 * The cloud rejected the credentials, or none were given.
 *
 * @since 0.1.0
 * @category errors
 */
export class AuthenticationError extends Schema.TaggedError<AuthenticationError>(
  "effect-agentbay/AuthenticationError"
)("AuthenticationError", {
  reason: Schema.Literal("MissingApiKey", "InvalidApiKey"),
  detail: Schema.String
}) {
  /** @since 0.1.0 */
  get retryable(): boolean {
    return false
  }
  /** @since 0.1.0 */
  override get message(): string {
    return this.reason === "MissingApiKey"
      ? `No AgentBay API key: ${this.detail}. Set AGENTBAY_API_KEY or pass apiKey to the client.`
      : `The AgentBay API key was rejected: ${this.detail}. Check AGENTBAY_API_KEY.`
  }
}

/**
 * The service asked us to slow down. Safe to retry: the request was not executed.
 *
 * @since 0.1.0
 * @category errors
 */
export class RateLimitedError extends Schema.TaggedError<RateLimitedError>("effect-agentbay/RateLimitedError")(
  "RateLimitedError",
  {
    code: Schema.String,
    retryAfterMs: Schema.optionalWith(Schema.Number, { exact: true })
  }
) {
  /** @since 0.1.0 */
  get retryable(): boolean {
    return true
  }
  /** @since 0.1.0 */
  override get message(): string {
    return `Rate limited by the service (${this.code}). Retry later${this.retryAfterMs === undefined ? "" : ` (after ${this.retryAfterMs} ms)`}, or lower the concurrency.`
  }
}

/**
 * The service answered with an error of its own.
 *
 * @since 0.1.0
 * @category errors
 */
export class ServerError extends Schema.TaggedError<ServerError>("effect-agentbay/ServerError")("ServerError", {
  status: Schema.Number,
  code: Schema.String,
  detail: Schema.String,
  requestId: Schema.optionalWith(Schema.String, { exact: true })
}) {
  /** @since 0.1.0 */
  get retryable(): boolean {
    return this.status >= 500 && this.status !== 501
  }
  /** @since 0.1.0 */
  override get message(): string {
    return `The service failed (HTTP ${this.status}, ${this.code}): ${this.detail}${this.requestId ? ` [request ${this.requestId}]` : ""}.${this.retryable ? " Retrying may help." : ""}`
  }
}

/**
 * The service could not be reached, or the connection broke.
 *
 * @since 0.1.0
 * @category errors
 */
export class NetworkError extends Schema.TaggedError<NetworkError>("effect-agentbay/NetworkError")("NetworkError", {
  reason: Schema.Literal("Connect", "Disconnected", "InvalidResponse"),
  endpoint: Schema.String,
  detail: Schema.String
}) {
  /** @since 0.1.0 */
  get retryable(): boolean {
    return this.reason !== "InvalidResponse"
  }
  /** @since 0.1.0 */
  override get message(): string {
    return `Network error talking to ${this.endpoint} (${this.reason}): ${this.detail}. Check the endpoint and your connection.`
  }
}

/**
 * Errors of the transport to a remote backend.
 *
 * @since 0.1.0
 * @category errors
 */
export type TransportError = AuthenticationError | RateLimitedError | ServerError | NetworkError

/**
 * @since 0.1.0
 * @category schemas
 */
export const TransportError = Schema.Union(AuthenticationError, RateLimitedError, ServerError, NetworkError)

/**
 * Errors any operation can fail with, whatever it does.
 *
 * @since 0.1.0
 * @category errors
 */
export type BackendError = SandboxUnavailableError | TimeoutError | InvalidArgumentError | TransportError

/**
 * @since 0.1.0
 * @category schemas
 */
export const BackendError = Schema.Union(SandboxUnavailableError, TimeoutError, InvalidArgumentError, TransportError)

/**
 * Errors of operations on an existing session.
 *
 * @since 0.1.0
 * @category errors
 */
export type SessionError = SessionNotFoundError | BackendError

/**
 * @since 0.1.0
 * @category schemas
 */
export const SessionError = Schema.Union(SessionNotFoundError, BackendError)

/**
 * Errors of `create`.
 *
 * @since 0.1.0
 * @category errors
 */
export type CreateError = SessionCreationError | BackendError

/**
 * @since 0.1.0
 * @category schemas
 */
export const CreateError = Schema.Union(SessionCreationError, BackendError)

/**
 * Errors of `runCode`.
 *
 * @since 0.1.0
 * @category errors
 */
export type RunCodeError = UnsupportedLanguageError | SessionError

/**
 * @since 0.1.0
 * @category schemas
 */
export const RunCodeError = Schema.Union(UnsupportedLanguageError, SessionError)

/**
 * Errors of the file operations.
 *
 * @since 0.1.0
 * @category errors
 */
export type FileError =
  | FileNotFoundError
  | NotADirectoryError
  | IsADirectoryError
  | FileExistsError
  | PathOutsideWorkspaceError
  | FileSystemError
  | SessionError

/**
 * @since 0.1.0
 * @category schemas
 */
export const FileError = Schema.Union(
  FileNotFoundError,
  NotADirectoryError,
  IsADirectoryError,
  FileExistsError,
  PathOutsideWorkspaceError,
  FileSystemError,
  SessionError
)

/**
 * Every error of this package.
 *
 * @since 0.1.0
 * @category errors
 */
export type AgentBayError = SessionCreationError | UnsupportedLanguageError | FileError

/**
 * @since 0.1.0
 * @category schemas
 */
export const AgentBayError = Schema.Union(SessionCreationError, UnsupportedLanguageError, FileError)

/**
 * @since 0.1.0
 * @category guards
 */
export const isAgentBayError: (u: unknown) => u is AgentBayError = Schema.is(AgentBayError)

/**
 * Whether trying the same call again can help.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isRetryable = (error: AgentBayError): boolean => error.retryable
