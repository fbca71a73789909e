/**
 * The table of operations: each a `Schema.TaggedRequest` (payload, success,
 * failure) plus how a door calls it. The Effect, Promise and blocking doors
 * are built by walking this table, and the schemas carry requests and
 * results (typed errors included) across the worker bridge.
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { InvalidArgumentError, CreateError, FileError, RunCodeError, SessionError, BackendError } from "./AgentBayError.js"
import { CodeResult, RunCodeOptions } from "./Code.js"
import { CommandOptions, CommandResult } from "./Command.js"
import { DirectoryEntry, Edit, FileContent, FileInfo, WriteMode } from "./FileSystem.js"
import { CreateSessionParams, Labels, ListSessionsParams, SessionInfo, SessionList } from "./Session.js"

const timeoutMs = Schema.optionalWith(Schema.Number.pipe(Schema.positive()), { exact: true })
const sessionId = Schema.String.pipe(Schema.minLength(1, { message: () => "sessionId must be a non-empty string" }))
/** A path in the sandbox: checked here, before any call, for the mistakes a path can have. */
const Path = Schema.String.pipe(
  Schema.minLength(1, { message: () => "a path must be a non-empty string" }),
  Schema.filter((p) => !p.includes("\0"), { message: () => "a path cannot contain a NUL byte" }),
  Schema.maxLength(4096, { message: () => "a path is at most 4096 characters" })
)

/**
 * @since 0.1.0
 * @category requests
 */
export class CreateSession extends Schema.TaggedRequest<CreateSession>("effect-agentbay/CreateSession")("CreateSession", {
  payload: { params: CreateSessionParams, timeoutMs },
  success: SessionInfo,
  failure: CreateError
}) {}

/**
 * @since 0.1.0
 * @category requests
 */
export class GetSession extends Schema.TaggedRequest<GetSession>("effect-agentbay/GetSession")("GetSession", {
  payload: { sessionId, timeoutMs },
  success: SessionInfo,
  failure: SessionError
}) {}

/**
 * @since 0.1.0
 * @category requests
 */
export class ListSessions extends Schema.TaggedRequest<ListSessions>("effect-agentbay/ListSessions")("ListSessions", {
  payload: { params: ListSessionsParams, timeoutMs },
  success: SessionList,
  failure: BackendError
}) {}

/**
 * @since 0.1.0
 * @category requests
 */
export class DeleteSession extends Schema.TaggedRequest<DeleteSession>("effect-agentbay/DeleteSession")("DeleteSession", {
  payload: { sessionId, timeoutMs },
  success: Schema.Void,
  failure: SessionError
}) {}

/**
 * @since 0.1.0
 * @category requests
 */
export class GetSessionInfo extends Schema.TaggedRequest<GetSessionInfo>("effect-agentbay/GetSessionInfo")(
  "GetSessionInfo",
  { payload: { sessionId, timeoutMs }, success: SessionInfo, failure: SessionError }
) {}

/**
 * @since 0.1.0
 * @category requests
 */
export class SetLabels extends Schema.TaggedRequest<SetLabels>("effect-agentbay/SetLabels")("SetLabels", {
  payload: { sessionId, labels: Labels, timeoutMs },
  success: Schema.Void,
  failure: SessionError
}) {}

/**
 * @since 0.1.0
 * @category requests
 */
export class GetLabels extends Schema.TaggedRequest<GetLabels>("effect-agentbay/GetLabels")("GetLabels", {
  payload: { sessionId, timeoutMs },
  success: Labels,
  failure: SessionError
}) {}

/**
 * @since 0.1.0
 * @category requests
 */
export class ExecuteCommand extends Schema.TaggedRequest<ExecuteCommand>("effect-agentbay/ExecuteCommand")(
  "ExecuteCommand",
  { payload: { sessionId, command: Schema.String, options: CommandOptions }, success: CommandResult, failure: SessionError }
) {}

/**
 * @since 0.1.0
 * @category requests
 */
export class RunCode extends Schema.TaggedRequest<RunCode>("effect-agentbay/RunCode")("RunCode", {
  payload: { sessionId, code: Schema.String, language: Schema.String, options: RunCodeOptions },
  success: CodeResult,
  failure: RunCodeError
}) {}

/**
 * @since 0.1.0
 * @category requests
 */
export class ReadFile extends Schema.TaggedRequest<ReadFile>("effect-agentbay/ReadFile")("ReadFile", {
  payload: { sessionId, path: Path, format: Schema.Literal("text", "bytes"), timeoutMs },
  success: FileContent,
  failure: FileError
}) {}

/**
 * @since 0.1.0
 * @category requests
 */
export class WriteFile extends Schema.TaggedRequest<WriteFile>("effect-agentbay/WriteFile")("WriteFile", {
  payload: { sessionId, path: Path, content: FileContent, mode: WriteMode, timeoutMs },
  success: Schema.Void,
  failure: FileError
}) {}

/**
 * @since 0.1.0
 * @category requests
 */
export class ListDirectory extends Schema.TaggedRequest<ListDirectory>("effect-agentbay/ListDirectory")("ListDirectory", {
  payload: { sessionId, path: Path, timeoutMs },
  success: Schema.Array(DirectoryEntry),
  failure: FileError
}) {}

/**
 * @since 0.1.0
 * @category requests
 */
export class CreateDirectory extends Schema.TaggedRequest<CreateDirectory>("effect-agentbay/CreateDirectory")(
  "CreateDirectory",
  { payload: { sessionId, path: Path, timeoutMs }, success: Schema.Void, failure: FileError }
) {}

/**
 * @since 0.1.0
 * @category requests
 */
export class MoveFile extends Schema.TaggedRequest<MoveFile>("effect-agentbay/MoveFile")("MoveFile", {
  payload: { sessionId, source: Path, destination: Path, timeoutMs },
  success: Schema.Void,
  failure: FileError
}) {}

/**
 * @since 0.1.0
 * @category requests
 */
export class DeleteFile extends Schema.TaggedRequest<DeleteFile>("effect-agentbay/DeleteFile")("DeleteFile", {
  payload: { sessionId, path: Path, recursive: Schema.Boolean, timeoutMs },
  success: Schema.Void,
  failure: FileError
}) {}

/**
 * @since 0.1.0
 * @category requests
 */
export class GetFileInfo extends Schema.TaggedRequest<GetFileInfo>("effect-agentbay/GetFileInfo")("GetFileInfo", {
  payload: { sessionId, path: Path, timeoutMs },
  success: FileInfo,
  failure: FileError
}) {}

/**
 * @since 0.1.0
 * @category requests
 */
export class SearchFiles extends Schema.TaggedRequest<SearchFiles>("effect-agentbay/SearchFiles")("SearchFiles", {
  payload: {
    sessionId,
    path: Path,
    pattern: Schema.String,
    excludePatterns: Schema.Array(Schema.String),
    timeoutMs
  },
  success: Schema.Array(Schema.String),
  failure: FileError
}) {}

/**
 * @since 0.1.0
 * @category requests
 */
export class EditFile extends Schema.TaggedRequest<EditFile>("effect-agentbay/EditFile")("EditFile", {
  payload: { sessionId, path: Path, edits: Schema.Array(Edit), dryRun: Schema.Boolean, timeoutMs },
  success: Schema.String,
  failure: FileError
}) {}

/**
 * @since 0.1.0
 * @category requests
 */
export class ReadMultipleFiles extends Schema.TaggedRequest<ReadMultipleFiles>("effect-agentbay/ReadMultipleFiles")(
  "ReadMultipleFiles",
  {
    payload: { sessionId, paths: Schema.Array(Path), timeoutMs },
    success: Schema.Record({ key: Schema.String, value: Schema.String }),
    failure: FileError
  }
) {}

/**
 * A task of `runTasks`: code run in a fresh session of its own.
 *
 * @since 0.1.0
 * @category models
 */
export const Task = Schema.Struct({
  code: Schema.String,
  language: Schema.optionalWith(Schema.String, { exact: true }),
  params: Schema.optionalWith(CreateSessionParams, { exact: true }),
  timeoutMs: Schema.optionalWith(Schema.Number.pipe(Schema.positive()), { exact: true })
})

/**
 * @since 0.1.0
 * @category models
 */
export interface Task extends Schema.Schema.Type<typeof Task> {}

/**
 * What became of one task: its session's code result, or the typed error.
 *
 * @since 0.1.0
 * @category models
 */
export const TaskOutcome = Schema.Union(
  Schema.Struct({ success: Schema.Literal(true), result: CodeResult }),
  Schema.Struct({ success: Schema.Literal(false), failure: Schema.Union(CreateError, RunCodeError) })
)

/**
 * @since 0.1.0
 * @category models
 */
export type TaskOutcome = typeof TaskOutcome.Type

/**
 * Runs tasks, each in a fresh session created and deleted for it, at most
 * `concurrency` at a time (the guide's semaphore and task-queue patterns).
 *
 * @since 0.1.0
 * @category requests
 */
export class RunTasks extends Schema.TaggedRequest<RunTasks>("effect-agentbay/RunTasks")("RunTasks", {
  payload: {
    tasks: Schema.Array(Task),
    concurrency: Schema.Int.pipe(Schema.positive()),
    timeoutMs
  },
  success: Schema.Array(TaskOutcome),
  failure: BackendError
}) {}

/**
 * A pool of sessions: its id and size.
 *
 * @since 0.1.0
 * @category models
 */
export class PoolInfo extends Schema.Class<PoolInfo>("effect-agentbay/PoolInfo")({
  poolId: Schema.String,
  size: Schema.Int
}) {}

const poolId = Schema.String.pipe(Schema.minLength(1, { message: () => "poolId must be a non-empty string" }))

/**
 * Creates a pool of `size` sessions, all created before it is returned.
 *
 * @since 0.1.0
 * @category requests
 */
export class CreatePool extends Schema.TaggedRequest<CreatePool>("effect-agentbay/CreatePool")("CreatePool", {
  payload: { size: Schema.Int.pipe(Schema.between(1, 256)), params: CreateSessionParams, timeoutMs },
  success: PoolInfo,
  failure: CreateError
}) {}

/**
 * Takes a session from a pool, waiting while all are in use.
 *
 * @since 0.1.0
 * @category requests
 */
export class AcquireSession extends Schema.TaggedRequest<AcquireSession>("effect-agentbay/AcquireSession")(
  "AcquireSession",
  { payload: { poolId, timeoutMs }, success: SessionInfo, failure: CreateError }
) {}

/**
 * Gives a session back to its pool.
 *
 * @since 0.1.0
 * @category requests
 */
export class ReleaseSession extends Schema.TaggedRequest<ReleaseSession>("effect-agentbay/ReleaseSession")(
  "ReleaseSession",
  { payload: { poolId, sessionId, timeoutMs }, success: Schema.Void, failure: BackendError }
) {}

/**
 * Closes a pool, deleting its sessions.
 *
 * @since 0.1.0
 * @category requests
 */
export class ClosePool extends Schema.TaggedRequest<ClosePool>("effect-agentbay/ClosePool")("ClosePool", {
  payload: { poolId, timeoutMs },
  success: Schema.Void,
  failure: BackendError
}) {}

/**
 * Every request of the table.
 *
 * @since 0.1.0
 * @category requests
 */
export type Request =
  | CreateSession
  | GetSession
  | ListSessions
  | DeleteSession
  | GetSessionInfo
  | SetLabels
  | GetLabels
  | ExecuteCommand
  | RunCode
  | ReadFile
  | WriteFile
  | ListDirectory
  | CreateDirectory
  | MoveFile
  | DeleteFile
  | GetFileInfo
  | SearchFiles
  | EditFile
  | ReadMultipleFiles
  | RunTasks
  | CreatePool
  | AcquireSession
  | ReleaseSession
  | ClosePool

/**
 * The schema of every request, for decoding one that crossed a boundary.
 *
 * @since 0.1.0
 * @category requests
 */
export const Request = Schema.Union(
  CreateSession,
  GetSession,
  ListSessions,
  DeleteSession,
  GetSessionInfo,
  SetLabels,
  GetLabels,
  ExecuteCommand,
  RunCode,
  ReadFile,
  WriteFile,
  ListDirectory,
  CreateDirectory,
  MoveFile,
  DeleteFile,
  GetFileInfo,
  SearchFiles,
  EditFile,
  ReadMultipleFiles,
  RunTasks,
  CreatePool,
  AcquireSession,
  ReleaseSession,
  ClosePool
)

const requestCodecs = new Map<string, { readonly encode: (request: Request) => unknown; readonly decode: (u: unknown) => Request }>(
  Request.members.map((member) => [
    member._tag,
    { encode: Schema.encodeSync(member as Schema.Schema<any, any>), decode: Schema.decodeUnknownSync(member as Schema.Schema<any, any>) }
  ])
)

/**
 * The compiled encoder and decoder of one operation's request, by its tag:
 * cheaper than the union's, for a request whose operation is known.
 *
 * @since 0.1.0
 * @category schemas
 */
export const requestCodecOf = (tag: string): { readonly encode: (request: Request) => unknown; readonly decode: (u: unknown) => Request } | undefined =>
  requestCodecs.get(tag)

/**
 * The codec of a request's `Exit`: its success and typed failure schemas, and
 * defects as `{ name, message }`. What crosses the worker bridge.
 *
 * @since 0.1.0
 * @category schemas
 */
export const exitSchemaOf = (request: Request): Schema.Schema<any, any> =>
  Schema.exitSchema(request as Schema.WithResult<unknown, unknown, unknown, unknown, never>)

const exitCodecs = new Map<string, { readonly encode: (exit: unknown) => unknown; readonly decode: (u: unknown) => any }>()

/**
 * The compiled encoder and decoder of a request's `Exit` (compiled once per operation).
 *
 * @since 0.1.0
 * @category schemas
 */
export const exitCodecOf = (request: Request): { readonly encode: (exit: unknown) => unknown; readonly decode: (u: unknown) => any } => {
  let codec = exitCodecs.get(request._tag)
  if (codec === undefined) {
    const schema = exitSchemaOf(request)
    codec = { encode: Schema.encodeSync(schema), decode: Schema.decodeUnknownSync(schema) }
    exitCodecs.set(request._tag, codec)
  }
  return codec
}

/**
 * The success type of a request.
 *
 * @since 0.1.0
 * @category models
 */
export type Success<R extends Request> = Schema.WithResult.Success<R>

/**
 * The failure type of a request.
 *
 * @since 0.1.0
 * @category models
 */
export type Failure<R extends Request> = Schema.WithResult.Failure<R>

/**
 * Where a door method lives: on the client, on the session, or in one of
 * the session's groups.
 *
 * @since 0.1.0
 * @category models
 */
export type Group = "client" | "session" | "command" | "code" | "fileSystem" | "pool"

/**
 * How a door calls an operation.
 *
 * @since 0.1.0
 * @category models
 */
export interface Method {
  /** The method's name in its group (AgentBay's TypeScript name). */
  readonly name: string
  readonly group: Group
  /** Position of the options argument that may carry `timeoutMs` and `signal`. */
  readonly optionsAt: number
  /** The request for the door's arguments (`target` is the session's or pool's id, for their methods). */
  readonly request: (args: ReadonlyArray<any>, target: string) => Request
  /** The AgentBay result fields for a success value. */
  readonly data: (value: any) => Record<string, unknown>
  /** AgentBay's verdict on a success value (a command that exited non-zero is `success: false`). */
  readonly verdict?: (value: any) => { readonly success: boolean; readonly errorMessage: string }
  /** What the door hands out as its own object: the session, or the pool, of the success value. */
  readonly returns?: "session" | "pool"
}

const opts = (value: unknown): Record<string, any> => (typeof value === "object" && value !== null ? value as any : {})
const call = (options: unknown): { timeoutMs?: number } => {
  const t = opts(options).timeoutMs
  return t === undefined ? {} : { timeoutMs: t }
}
const noData = () => ({})

const idOf = (session: unknown): string =>
  typeof session === "string" ? session : String(opts(session).sessionId ?? "")

/**
 * The table: every door method, in the order of AgentBay's API.
 *
 * @since 0.1.0
 * @category table
 */
export const methods: ReadonlyArray<Method> = [
  {
    name: "create",
    group: "client",
    optionsAt: 1,
    request: ([params, options]) => new CreateSession({ params: { ...opts(params) }, ...call(options) }),
    data: (session) => ({ session }),
    returns: "session"
  },
  {
    name: "get",
    group: "client",
    optionsAt: 1,
    request: ([id, options]) => new GetSession({ sessionId: id, ...call(options) }),
    data: (session) => ({ session }),
    returns: "session"
  },
  {
    name: "list",
    group: "client",
    optionsAt: 1,
    request: ([params, options]) => new ListSessions({ params: { ...opts(params) }, ...call(options) }),
    data: (list: SessionList) => ({
      sessionIds: list.sessionIds,
      nextToken: list.nextToken,
      maxResults: list.maxResults,
      totalCount: list.totalCount
    })
  },
  {
    name: "delete",
    group: "client",
    optionsAt: 1,
    request: ([session, options]) => new DeleteSession({ sessionId: idOf(session), ...call(options) }),
    data: noData
  },
  {
    name: "info",
    group: "session",
    optionsAt: 0,
    request: ([options], sessionId) => new GetSessionInfo({ sessionId, ...call(options) }),
    data: (data) => ({ data })
  },
  {
    name: "setLabels",
    group: "session",
    optionsAt: 1,
    request: ([labels, options], sessionId) => new SetLabels({ sessionId, labels, ...call(options) }),
    data: noData
  },
  {
    name: "getLabels",
    group: "session",
    optionsAt: 0,
    request: ([options], sessionId) => new GetLabels({ sessionId, ...call(options) }),
    data: (data) => ({ data })
  },
  {
    name: "delete",
    group: "session",
    optionsAt: 0,
    request: ([options], sessionId) => new DeleteSession({ sessionId, ...call(options) }),
    data: noData
  },
  {
    name: "executeCommand",
    group: "command",
    optionsAt: 1,
    request: ([command, options], sessionId) => {
      const { timeoutMs, cwd, envs } = opts(options)
      return new ExecuteCommand({
        sessionId,
        command,
        options: {
          ...(timeoutMs === undefined ? {} : { timeoutMs }),
          ...(cwd === undefined ? {} : { cwd }),
          ...(envs === undefined ? {} : { envs })
        }
      })
    },
    data: (result: CommandResult) => ({ ...result }),
    verdict: (result: CommandResult) => ({
      success: result.exitCode === 0 && !result.timedOut,
      errorMessage: result.timedOut
        ? `Command timed out after ${result.durationMs} ms`
        : result.exitCode === 0
        ? ""
        : result.stderr.trim() || `Command exited with code ${result.exitCode}`
    })
  },
  {
    name: "runCode",
    group: "code",
    optionsAt: 2,
    request: ([code, language, options], sessionId) => new RunCode({ sessionId, code, language, options: call(options) }),
    data: (result: CodeResult) => ({ ...result }),
    verdict: (result: CodeResult) => ({
      success: result.error === undefined,
      errorMessage: result.error === undefined ? "" : `${result.error.name}: ${result.error.value}`
    })
  },
  {
    name: "readFile",
    group: "fileSystem",
    optionsAt: 1,
    request: ([path, options], sessionId) =>
      new ReadFile({ sessionId, path, format: opts(options).format === "bytes" ? "bytes" : "text", ...call(options) }),
    data: (content) => ({ content })
  },
  {
    name: "writeFile",
    group: "fileSystem",
    optionsAt: 2,
    request: ([path, content, options], sessionId) =>
      new WriteFile({ sessionId, path, content, mode: opts(options).mode ?? "overwrite", ...call(options) }),
    data: noData
  },
  {
    name: "listDirectory",
    group: "fileSystem",
    optionsAt: 1,
    request: ([path, options], sessionId) => new ListDirectory({ sessionId, path, ...call(options) }),
    data: (entries) => ({ entries })
  },
  {
    name: "createDirectory",
    group: "fileSystem",
    optionsAt: 1,
    request: ([path, options], sessionId) => new CreateDirectory({ sessionId, path, ...call(options) }),
    data: noData
  },
  {
    name: "moveFile",
    group: "fileSystem",
    optionsAt: 2,
    request: ([source, destination, options], sessionId) =>
      new MoveFile({ sessionId, source, destination, ...call(options) }),
    data: noData
  },
  {
    name: "deleteFile",
    group: "fileSystem",
    optionsAt: 1,
    request: ([path, options], sessionId) =>
      new DeleteFile({ sessionId, path, recursive: opts(options).recursive === true, ...call(options) }),
    data: noData
  },
  {
    name: "getFileInfo",
    group: "fileSystem",
    optionsAt: 1,
    request: ([path, options], sessionId) => new GetFileInfo({ sessionId, path, ...call(options) }),
    data: (fileInfo) => ({ fileInfo })
  },
  {
    name: "searchFiles",
    group: "fileSystem",
    optionsAt: 2,
    request: ([path, pattern, options], sessionId) =>
      new SearchFiles({ sessionId, path, pattern, excludePatterns: opts(options).excludePatterns ?? [], ...call(options) }),
    data: (matches) => ({ matches })
  },
  {
    name: "editFile",
    group: "fileSystem",
    optionsAt: 2,
    request: ([path, edits, options], sessionId) =>
      new EditFile({ sessionId, path, edits, dryRun: opts(options).dryRun === true, ...call(options) }),
    data: (diff) => ({ diff })
  },
  {
    name: "readMultipleFiles",
    group: "fileSystem",
    optionsAt: 1,
    request: ([paths, options], sessionId) => new ReadMultipleFiles({ sessionId, paths, ...call(options) }),
    data: (contents) => ({ contents })
  },
  {
    name: "runTasks",
    group: "client",
    optionsAt: 1,
    request: ([tasks, options]) =>
      new RunTasks({ tasks, concurrency: opts(options).concurrency ?? 5, ...call(options) }),
    data: (results) => ({ results })
  },
  {
    name: "createPool",
    group: "client",
    optionsAt: 1,
    request: ([params, options]) =>
      new CreatePool({ size: opts(params).size ?? 5, params: { ...opts(opts(params).params) }, ...call(options) }),
    data: (pool) => ({ pool }),
    returns: "pool"
  },
  {
    name: "acquire",
    group: "pool",
    optionsAt: 0,
    request: ([options], poolId) => new AcquireSession({ poolId, ...call(options) }),
    data: (session) => ({ session }),
    returns: "session"
  },
  {
    name: "release",
    group: "pool",
    optionsAt: 1,
    request: ([session, options], poolId) => new ReleaseSession({ poolId, sessionId: idOf(session), ...call(options) }),
    data: noData
  },
  {
    name: "close",
    group: "pool",
    optionsAt: 0,
    request: ([options], poolId) => new ClosePool({ poolId, ...call(options) }),
    data: noData
  }
]

/**
 * Builds the request of a door call. Arguments the schemas reject become an
 * `InvalidArgumentError` naming the argument, instead of a thrown exception.
 *
 * @since 0.1.0
 * @category constructors
 */
export const toRequest = (
  method: Method,
  args: ReadonlyArray<unknown>,
  sessionId = ""
): Either.Either<Request, InvalidArgumentError> => {
  try {
    return Either.right(method.request(args, sessionId))
  } catch (error) {
    if (!ParseResult.isParseError(error)) {
      return Either.left(new InvalidArgumentError({ argument: method.name, detail: String(error) }))
    }
    const [issue] = ParseResult.ArrayFormatter.formatErrorSync(error)
    return Either.left(
      new InvalidArgumentError({
        argument: issue === undefined || issue.path.length === 0 ? method.name : issue.path.join("."),
        detail: issue?.message ?? error.message
      })
    )
  }
}
