/**
 * The shape of the API, written once over a "door": the Effect door returns
 * `Effect`s, the Promise door (`AsyncAgentBay`) returns `Promise`s of
 * AgentBay-style results, the blocking door (`AgentBay`) returns those results
 * directly. The runtime of every door is derived from the operation table
 * (`Operation.ts`); these types are its one declaration.
 *
 * @since 0.1.0
 */
import type * as Effect from "effect/Effect"
import type { CodeResult, LanguageName, RunCodeOptions } from "./Code.js"
import type { CommandOptions, CommandResult } from "./Command.js"
import type {
  BackendError,
  CreateError,
  FileError,
  RunCodeError,
  SessionError
} from "./AgentBayError.js"
import type {
  DeleteFileOptions,
  DirectoryEntry,
  Edit,
  EditFileOptions,
  FileInfo,
  SearchFilesOptions,
  WriteFileOptions
} from "./FileSystem.js"
import type { Task, TaskOutcome } from "./Operation.js"
import type { CreateSessionParams, Labels, ListSessionsParams, SessionInfo, SessionList } from "./Session.js"

/**
 * Options every call takes. `timeoutMs` overrides the operation's time budget
 * (for `executeCommand` and `runCode` it is the command's own limit).
 * `signal` aborts the call in the Promise and blocking doors (the Effect door
 * uses interruption instead).
 *
 * @since 0.1.0
 * @category models
 */
export interface CallOptions {
  readonly timeoutMs?: number
  readonly signal?: AbortSignal
}

/**
 * An AgentBay-style result: `success`, `errorMessage`, a `requestId`, the
 * data fields of the operation, and, when the operation failed, the typed
 * `failure` (whose `_tag` names it). A command that exited non-zero, or a
 * run whose code raised (AgentBay's `error: { name, value, traceback }`), is
 * data: `success: false` with its fields, and no `failure`.
 *
 * @since 0.1.0
 * @category models
 */
export type Result<Env, E> = Succeeded<Env> | Failed<Env, E>

/**
 * `success` of a completed operation: always `true`, except for commands and
 * code runs, whose own outcome decides it.
 *
 * @since 0.1.0
 * @category models
 */
export type Verdict<Env> = Env extends CommandResult | CodeResult ? boolean : true

/**
 * @since 0.1.0
 * @category models
 */
export type Succeeded<Env> = {
  readonly requestId: string
  readonly success: Verdict<Env>
  readonly errorMessage: string
  readonly failure?: undefined
} & Env

/**
 * @since 0.1.0
 * @category models
 */
export type Failed<Env, E> = {
  readonly requestId: string
  readonly success: false
  readonly errorMessage: string
  readonly failure: E
} & { readonly [K in keyof Env]?: undefined }

/**
 * A door: how a result of type `A` (AgentBay fields `Env`) failing with `E` is handed out.
 *
 * @since 0.1.0
 * @category type lambdas
 */
export interface Door {
  readonly A: unknown
  readonly E: unknown
  readonly Env: unknown
  readonly type: unknown
}

/**
 * @since 0.1.0
 * @category type lambdas
 */
export type Kind<F extends Door, A, E, Env> = (F & { readonly A: A; readonly E: E; readonly Env: Env })["type"]

/**
 * @since 0.1.0
 * @category type lambdas
 */
export interface EffectDoor extends Door {
  readonly type: Effect.Effect<this["A"], this["E"]>
}

/**
 * @since 0.1.0
 * @category type lambdas
 */
export interface PromiseDoor extends Door {
  readonly type: Promise<Result<this["Env"], this["E"]>>
}

/**
 * @since 0.1.0
 * @category type lambdas
 */
export interface BlockingDoor extends Door {
  readonly type: Result<this["Env"], this["E"]>
}

/**
 * No data fields.
 *
 * @since 0.1.0
 * @category models
 */
export type NoData = {}

/**
 * The client: create, find, list and delete sessions; run batches of tasks;
 * make session pools (`S` and `P` are the door's session and pool objects).
 *
 * @since 0.1.0
 * @category models
 */
export interface ClientApi<F extends Door, S, P> {
  /** Creates a session (default image `code_latest`). */
  create(params?: CreateSessionParams, options?: CallOptions): Kind<F, S, CreateError, { readonly session: S }>
  /** Finds a live session by id. */
  get(sessionId: string, options?: CallOptions): Kind<F, S, SessionError, { readonly session: S }>
  /** Lists live sessions, filtered by labels, a page at a time. */
  list(
    params?: ListSessionsParams,
    options?: CallOptions
  ): Kind<F, SessionList, BackendError, Pick<SessionList, "sessionIds" | "nextToken" | "maxResults" | "totalCount">>
  /** Deletes a session and everything running in it. */
  delete(session: S | { readonly sessionId: string } | string, options?: CallOptions): Kind<F, void, SessionError, NoData>
  /**
   * Runs each task's code in a fresh session of its own (created and deleted
   * for it), at most `concurrency` (default 5) at a time. A task's failure is
   * its outcome, not the batch's.
   */
  runTasks(
    tasks: ReadonlyArray<Task>,
    options?: { readonly concurrency?: number } & CallOptions
  ): Kind<F, ReadonlyArray<TaskOutcome>, BackendError, { readonly results: ReadonlyArray<TaskOutcome> }>
  /** Creates a pool of `size` (default 5) ready sessions, reused across tasks. */
  createPool(
    params?: { readonly size?: number; readonly params?: CreateSessionParams },
    options?: CallOptions
  ): Kind<F, P, CreateError, { readonly pool: P }>
}

/**
 * A pool of sessions (on Effect's `Pool`): `acquire` waits while all are in
 * use, `release` gives one back, `close` deletes them all.
 *
 * @since 0.1.0
 * @category models
 */
export interface PoolApi<F extends Door, S> {
  readonly poolId: string
  readonly size: number
  acquire(options?: CallOptions): Kind<F, S, CreateError, { readonly session: S }>
  release(session: S | { readonly sessionId: string } | string, options?: CallOptions): Kind<F, void, BackendError, NoData>
  close(options?: CallOptions): Kind<F, void, BackendError, NoData>
}

/**
 * A live session: its commands, code runs, files and labels.
 *
 * @since 0.1.0
 * @category models
 */
export interface SessionApi<F extends Door> {
  readonly sessionId: string
  /** What is known about the session. */
  info(options?: CallOptions): Kind<F, SessionInfo, SessionError, { readonly data: SessionInfo }>
  /** Replaces the session's labels. */
  setLabels(labels: Labels, options?: CallOptions): Kind<F, void, SessionError, NoData>
  /** The session's labels. */
  getLabels(options?: CallOptions): Kind<F, Labels, SessionError, { readonly data: Labels }>
  /** Deletes the session. */
  delete(options?: CallOptions): Kind<F, void, SessionError, NoData>
  readonly command: CommandApi<F>
  readonly code: CodeApi<F>
  readonly fileSystem: FileSystemApi<F>
}

/**
 * `session.command`.
 *
 * @since 0.1.0
 * @category models
 */
export interface CommandApi<F extends Door> {
  /** Runs `command` with `/bin/sh -c` in the session (default timeout 60000 ms). */
  executeCommand(
    command: string,
    options?: CommandOptions & CallOptions
  ): Kind<F, CommandResult, SessionError, CommandResult>
}

/**
 * `session.code`.
 *
 * @since 0.1.0
 * @category models
 */
export interface CodeApi<F extends Door> {
  /** Runs a cell of python or javascript; a trailing expression's value is the main result. */
  runCode(
    code: string,
    language: LanguageName | (string & {}),
    options?: RunCodeOptions & CallOptions
  ): Kind<F, CodeResult, RunCodeError, CodeResult>
}

/**
 * `session.fileSystem`.
 *
 * @since 0.1.0
 * @category models
 */
export interface FileSystemApi<F extends Door> {
  /** Reads a file as UTF-8 text, or as bytes with `{ format: "bytes" }`. */
  readFile(path: string, options?: { readonly format?: "text" } & CallOptions): Kind<F, string, FileError, { readonly content: string }>
  readFile(
    path: string,
    options: { readonly format: "bytes" } & CallOptions
  ): Kind<F, Uint8Array, FileError, { readonly content: Uint8Array }>
  /** Writes text or bytes (modes overwrite, append, create_new), creating parent directories. */
  writeFile(
    path: string,
    content: string | Uint8Array,
    options?: WriteFileOptions & CallOptions
  ): Kind<F, void, FileError, NoData>
  /** The entries of a directory, sorted by name. */
  listDirectory(
    path: string,
    options?: CallOptions
  ): Kind<F, ReadonlyArray<DirectoryEntry>, FileError, { readonly entries: ReadonlyArray<DirectoryEntry> }>
  /** Creates a directory and its missing parents. */
  createDirectory(path: string, options?: CallOptions): Kind<F, void, FileError, NoData>
  /** Moves or renames; fails if the destination exists. */
  moveFile(source: string, destination: string, options?: CallOptions): Kind<F, void, FileError, NoData>
  /** Deletes a file (a directory with `{ recursive: true }`). */
  deleteFile(path: string, options?: DeleteFileOptions & CallOptions): Kind<F, void, FileError, NoData>
  /** Size, type, times, mode and owner of a path. */
  getFileInfo(path: string, options?: CallOptions): Kind<F, FileInfo, FileError, { readonly fileInfo: FileInfo }>
  /** Paths under `path` whose name or relative path matches `pattern` (a glob, or a substring). */
  searchFiles(
    path: string,
    pattern: string,
    options?: SearchFilesOptions & CallOptions
  ): Kind<F, ReadonlyArray<string>, FileError, { readonly matches: ReadonlyArray<string> }>
  /** Applies exact-text replacements and returns the unified diff. */
  editFile(
    path: string,
    edits: ReadonlyArray<Edit>,
    options?: EditFileOptions & CallOptions
  ): Kind<F, string, FileError, { readonly diff: string }>
  /** Reads several text files; fails with the first file's error. */
  readMultipleFiles(
    paths: ReadonlyArray<string>,
    options?: CallOptions
  ): Kind<F, Readonly<Record<string, string>>, FileError, { readonly contents: Readonly<Record<string, string>> }>
}
