/**
 * The session operations, built on AgentBay's MCP tools: each encodes its
 * arguments in AgentBay's vocabulary, calls the tool through the backend, and
 * decodes AgentBay's text (or the helper's JSON extension of it) into typed
 * results and typed errors. The same code serves the local and cloud backends.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import {
  FileExistsError,
  FileNotFoundError,
  FileSystemError,
  InvalidArgumentError,
  IsADirectoryError,
  NotADirectoryError,
  PathOutsideWorkspaceError,
  ServerError,
  UnsupportedLanguageError,
  type FileError,
  type RunCodeError,
  type SessionError
} from "../AgentBayError.js"
import type { Service as Backend, ToolResult } from "../Backend.js"
import { CodeResult, type ExecutionError, type ExecutionResult, normalizeLanguage } from "../Code.js"
import { CommandResult } from "../Command.js"
import type { DirectoryEntry, FileInfo } from "../FileSystem.js"
import type * as Op from "../Operation.js"

/** Extra time a command's operation gets beyond the command's own timeout. */
export const COMMAND_GRACE_MS = 5_000

const textOf = (result: ToolResult): string => result.content.map((c) => c.text).join("")

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === "object" && u !== null && !Array.isArray(u)

const toolFailure = (tool: string, text: string) =>
  new ServerError({ status: 200, code: "ToolError", detail: `${tool}: ${text}` })

const invalidArgument = (text: string): InvalidArgumentError | undefined => {
  const match = /Invalid arguments:\s*(.*)$/s.exec(text)
  if (match === null) return undefined
  const detail = match[1]!.trim()
  const argument = /^(\w+)\b/.exec(detail)?.[1] ?? "arguments"
  return new InvalidArgumentError({ argument, detail })
}

/** Maps a file tool's error text to a typed error. */
export const fileError = (text: string, paths: { readonly path: string; readonly destination?: string }): FileError => {
  const invalid = invalidArgument(text)
  if (invalid !== undefined) return invalid
  const outside = /Access denied - path outside allowed directories:?\s*(.*)$/s.exec(text)
  if (outside !== null) {
    const allowed = /not in (.*)$/s.exec(outside[1]!)?.[1]?.split(",").map((s) => s.trim()).filter(Boolean) ?? []
    return new PathOutsideWorkspaceError({ path: paths.path, allowed })
  }
  const code = /\b(E[A-Z]{2,})\b/.exec(text)?.[1]
  const lower = text.toLowerCase()
  const detail = text.replace(/^Error:\s*/, "").trim()
  if (code === "ENOENT" || (code === undefined && /no such file|not found|does not exist/.test(lower))) {
    return new FileNotFoundError({ path: paths.path })
  }
  if (code === "ENOTDIR" || (code === undefined && lower.includes("not a directory"))) {
    return new NotADirectoryError({ path: paths.path })
  }
  if (code === "EISDIR" || (code === undefined && lower.includes("is a directory"))) {
    return new IsADirectoryError({ path: paths.path })
  }
  if (code === "EEXIST" || (code === undefined && lower.includes("already exists"))) {
    return new FileExistsError({ path: paths.destination ?? paths.path })
  }
  const reason = code === "EACCES" || code === "EPERM" || code === "EROFS" || lower.includes("permission denied")
    ? "PermissionDenied"
    : code === "ENOSPC" || code === "EDQUOT"
    ? "NoSpace"
    : code === "EFBIG"
    ? "TooLarge"
    : code === "ENAMETOOLONG"
    ? "NameTooLong"
    : code === "ELOOP"
    ? "Loop"
    : code === "EINVAL" && lower.includes("not a regular file")
    ? "NotRegularFile"
    : "Unknown"
  return new FileSystemError({ reason, path: paths.path, detail })
}

type Call = (tool: string, args: Record<string, unknown>) => Effect.Effect<ToolResult, SessionError>

const fileCall = <A>(
  call: Call,
  tool: string,
  args: Record<string, unknown>,
  paths: { readonly path: string; readonly destination?: string },
  decode: (text: string) => A
): Effect.Effect<A, FileError> =>
  Effect.flatMap(call(tool, args), (result) => {
    const text = textOf(result)
    return result.isError ? Effect.fail(fileError(text, paths)) : Effect.sync(() => decode(text))
  })

// ---------------------------------------------------------------------------
// shell

/** Decodes the `shell` tool's answer: AgentBay's JSON, its timeout text, or legacy plain output. */
export const decodeShell = (result: ToolResult, timeoutMs: number, measuredMs: number): Effect.Effect<CommandResult, SessionError> => {
  const text = textOf(result)
  const json = parseJson(text)
  if (isRecord(json) && ("exit_code" in json || "stdout" in json)) {
    const stdout = String(json.stdout ?? "")
    const stderr = String(json.stderr ?? "")
    const timedOut = json.timed_out === true
    return Effect.succeed(
      new CommandResult({
        exitCode: typeof json.exit_code === "number" ? json.exit_code : result.isError ? 1 : 0,
        stdout,
        stderr,
        output: stdout + stderr,
        durationMs: typeof json.duration_ms === "number" ? json.duration_ms : measuredMs,
        timedOut,
        truncated: json.truncated === true
      })
    )
  }
  if (result.isError && /\[timeout\]|timed out/i.test(text)) {
    return Effect.succeed(
      new CommandResult({ exitCode: 124, stdout: "", stderr: text, output: text, durationMs: Math.max(measuredMs, timeoutMs), timedOut: true, truncated: false })
    )
  }
  if (result.isError) return Effect.fail(invalidArgument(text) ?? toolFailure("shell", text))
  return Effect.succeed(
    new CommandResult({ exitCode: 0, stdout: text, stderr: "", output: text, durationMs: measuredMs, timedOut: false, truncated: false })
  )
}

export const executeCommand = (
  call: Call,
  backend: Backend,
  request: Op.ExecuteCommand,
  defaultTimeoutMs: number
): Effect.Effect<CommandResult, SessionError> => {
  const timeoutMs = Math.min(request.options.timeoutMs ?? defaultTimeoutMs, backend.maxCommandTimeoutMs)
  if (request.command.length === 0) {
    return Effect.fail(new InvalidArgumentError({ argument: "command", detail: "must be a non-empty string" }))
  }
  const args: Record<string, unknown> = { command: request.command, timeout_ms: Math.ceil(timeoutMs) }
  if (request.options.cwd !== undefined) args.cwd = request.options.cwd
  if (request.options.envs !== undefined) args.envs = request.options.envs
  const started = performance.now()
  return Effect.flatMap(call("shell", args), (result) =>
    decodeShell(result, timeoutMs, Math.round(performance.now() - started)))
}

// ---------------------------------------------------------------------------
// run_code

const SUPPORTED_LANGUAGES = ["python", "javascript", "python3", "py", "js", "node", "nodejs"]

const decodeExecutionResult = (raw: unknown): ExecutionResult | undefined => {
  const item = typeof raw === "string" ? parseJson(raw) : raw
  if (!isRecord(item)) return undefined
  const pick = (key: string) => (typeof item[key] === "string" ? { [mime[key]!]: item[key] as string } : {})
  const mime: Record<string, string> = {
    "text/plain": "text",
    "text/html": "html",
    "text/markdown": "markdown",
    "image/png": "png",
    "image/jpeg": "jpeg",
    "image/svg+xml": "svg"
  }
  return {
    ...Object.keys(mime).reduce((acc, key) => ({ ...acc, ...pick(key) }), {}),
    ...(item["application/json"] === undefined ? {} : { json: item["application/json"] }),
    isMainResult: item.isMainResult === true
  }
}

const decodeExecutionError = (json: Record<string, unknown>): ExecutionError | undefined => {
  const error = isRecord(json.error) ? json.error : isRecord(json.executionError) ? json.executionError : undefined
  if (error !== undefined) {
    return { name: String(error.name ?? "Error"), value: String(error.value ?? ""), traceback: String(error.traceback ?? "") }
  }
  if (typeof json.executionError === "string" && json.executionError.length > 0) {
    const match = /^(\w+):\s*(.*)$/s.exec(json.executionError)
    return match === null
      ? { name: "Error", value: json.executionError, traceback: "" }
      : { name: match[1]!, value: match[2]!, traceback: "" }
  }
  return undefined
}

const strings = (u: unknown): Array<string> => (Array.isArray(u) ? u.map(String) : typeof u === "string" && u.length > 0 ? [u] : [])

/** Decodes `run_code`'s answer (AgentBay's JSON with `result`, `stdout`, `stderr`, `executionError`). */
export const decodeRunCode = (result: ToolResult, language: string, measuredMs: number): Effect.Effect<CodeResult, RunCodeError> => {
  const text = textOf(result)
  if (result.isError) {
    const unsupported = /Unsupported language:?\s*([^\s.(]*)\s*(?:\((.*)\))?/.exec(text)
    if (unsupported !== null) {
      return Effect.fail(
        new UnsupportedLanguageError({
          language,
          supported: SUPPORTED_LANGUAGES,
          ...(unsupported[2] === undefined ? {} : { detail: unsupported[2] })
        })
      )
    }
    return Effect.fail(invalidArgument(text) ?? toolFailure("run_code", text))
  }
  const json = parseJson(text)
  if (!isRecord(json)) {
    // legacy plain output
    return Effect.succeed(new CodeResult({ result: text, logs: { stdout: [text], stderr: [] }, results: [], executionTime: measuredMs }))
  }
  const results = (Array.isArray(json.result) ? json.result : []).map(decodeExecutionResult).filter((r): r is ExecutionResult => r !== undefined)
  const stdout = strings(json.stdout)
  const stderr = strings(json.stderr)
  const main = results.find((r) => r.isMainResult)?.text
  const error = decodeExecutionError(json)
  return Effect.succeed(
    new CodeResult({
      result: main ?? stdout.join(""),
      logs: { stdout, stderr },
      results,
      ...(error === undefined ? {} : { error }),
      executionTime: typeof json.execution_time === "number" ? json.execution_time : measuredMs
    })
  )
}

export const runCode = (
  call: Call,
  request: Op.RunCode,
  defaultTimeoutMs: number
): Effect.Effect<CodeResult, RunCodeError> => {
  const language = normalizeLanguage(request.language)
  if (language === undefined) {
    return Effect.fail(new UnsupportedLanguageError({ language: request.language, supported: SUPPORTED_LANGUAGES }))
  }
  const timeoutMs = request.options.timeoutMs ?? defaultTimeoutMs
  const started = performance.now()
  return Effect.flatMap(
    call("run_code", { code: request.code, language, timeout_s: Math.ceil(timeoutMs / 1000), timeout_ms: Math.ceil(timeoutMs) }),
    (result) => decodeRunCode(result, request.language, Math.round(performance.now() - started))
  )
}

// ---------------------------------------------------------------------------
// files

const decodeFileInfo = (text: string, path: string): FileInfo => {
  const json = parseJson(text)
  const fields: Record<string, string> = {}
  if (isRecord(json)) {
    for (const [k, v] of Object.entries(json)) fields[k] = String(v)
  } else {
    for (const line of text.split("\n")) {
      const at = line.indexOf(":")
      if (at > 0) fields[line.slice(0, at).trim()] = line.slice(at + 1).trim()
    }
  }
  return {
    name: fields.name ?? path.split("/").pop() ?? path,
    path: fields.path ?? path,
    size: Number(fields.size ?? 0),
    isDirectory: fields.isDirectory === "true",
    modTime: fields.modTime ?? "",
    mode: fields.mode ?? "",
    owner: fields.owner ?? "",
    group: fields.group ?? ""
  }
}

const decodeEntries = (text: string): Array<DirectoryEntry> => {
  const json = parseJson(text)
  if (Array.isArray(json)) return json.map((e) => ({ name: String(e.name), isDirectory: e.isDirectory === true }))
  return text.split("\n").flatMap((line) => {
    const match = /^\[(DIR|FILE)\]\s(.*)$/.exec(line)
    return match === null ? [] : [{ name: match[2]!, isDirectory: match[1] === "DIR" }]
  })
}

const decodeMatches = (text: string): Array<string> => {
  const json = parseJson(text)
  if (Array.isArray(json)) return json.map(String)
  if (text.trim() === "" || /^No matches found/.test(text)) return []
  return text.split("\n").filter((line) => line.length > 0)
}

/** Splits text into pieces of at most `max` UTF-8 bytes, never inside a character. */
const utf8Chunks = (text: string, max: number): Array<string> => {
  const bytes = Buffer.from(text, "utf8")
  const out: Array<string> = []
  let start = 0
  while (start < bytes.length) {
    let end = Math.min(bytes.length, start + max)
    // back off continuation bytes (10xxxxxx)
    while (end < bytes.length && end > start && (bytes[end]! & 0xc0) === 0x80) end--
    out.push(bytes.subarray(start, end).toString("utf8"))
    start = end
  }
  return out.length === 0 ? [""] : out
}

/**
 * Reads in chunks of the backend's size, as binary (a chunk border may split
 * a UTF-8 character, so text is decoded once at the end), until a short chunk.
 */
export const readFile = (call: Call, backend: Backend, request: Op.ReadFile): Effect.Effect<string | Uint8Array, FileError> =>
  Effect.gen(function*() {
    const paths = { path: request.path }
    const chunks: Array<Buffer> = []
    let offset = 0
    for (;;) {
      const chunk = yield* fileCall(
        call,
        "read_file",
        { path: request.path, offset, length: backend.maxChunkBytes, format: "binary" },
        paths,
        (text) => Buffer.from(text, "base64")
      )
      chunks.push(chunk)
      offset += chunk.length
      if (chunk.length < backend.maxChunkBytes) break
    }
    const data = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)
    // a copy: small Buffers share a pooled ArrayBuffer, which must never be handed out (or transferred)
    return request.format === "bytes" ? new Uint8Array(data) : data.toString("utf8")
  })

export const writeFile = (call: Call, backend: Backend, request: Op.WriteFile): Effect.Effect<void, FileError> => {
  const paths = { path: request.path }
  const binary = typeof request.content !== "string"
  const pieces: Array<string> = binary
    ? chunkBytes(request.content as Uint8Array, backend.maxChunkBytes).map((b) => Buffer.from(b).toString("base64"))
    : utf8Chunks(request.content as string, backend.maxChunkBytes)
  return Effect.forEach(
    pieces,
    (content, i) =>
      fileCall(
        call,
        "write_file",
        { path: request.path, content, mode: i === 0 ? request.mode : "append", ...(binary ? { format: "binary" } : {}) },
        paths,
        () => undefined
      ),
    { discard: true }
  )
}

const chunkBytes = (bytes: Uint8Array, max: number): Array<Uint8Array> => {
  if (bytes.length <= max) return [bytes]
  const out: Array<Uint8Array> = []
  for (let i = 0; i < bytes.length; i += max) out.push(bytes.subarray(i, i + max))
  return out
}

export const listDirectory = (call: Call, request: Op.ListDirectory) =>
  fileCall(call, "list_directory", { path: request.path, output: "json" }, { path: request.path }, decodeEntries)

export const createDirectory = (call: Call, request: Op.CreateDirectory) =>
  fileCall(call, "create_directory", { path: request.path }, { path: request.path }, () => undefined)

export const moveFile = (call: Call, request: Op.MoveFile) =>
  fileCall(
    call,
    "move_file",
    { source: request.source, destination: request.destination },
    { path: request.source, destination: request.destination },
    () => undefined
  )

export const deleteFile = (call: Call, request: Op.DeleteFile) =>
  fileCall(
    call,
    "delete_file",
    { path: request.path, ...(request.recursive ? { recursive: true } : {}) },
    { path: request.path },
    () => undefined
  )

export const getFileInfo = (call: Call, request: Op.GetFileInfo) =>
  fileCall(call, "get_file_info", { path: request.path, output: "json" }, { path: request.path }, (text) => decodeFileInfo(text, request.path))

export const searchFiles = (call: Call, request: Op.SearchFiles) =>
  fileCall(
    call,
    "search_files",
    { path: request.path, pattern: request.pattern, excludePatterns: request.excludePatterns, output: "json" },
    { path: request.path },
    decodeMatches
  )

export const editFile = (call: Call, request: Op.EditFile) =>
  fileCall(
    call,
    "edit_file",
    { path: request.path, edits: request.edits, dryRun: request.dryRun },
    { path: request.path },
    (text) => text
  )

export const readMultipleFiles = (call: Call, request: Op.ReadMultipleFiles): Effect.Effect<Record<string, string>, FileError> =>
  Effect.flatMap(call("read_multiple_files", { paths: request.paths, output: "json" }), (result) => {
    const text = textOf(result)
    if (result.isError) return Effect.fail(fileError(text, { path: request.paths.join(", ") }))
    const json = parseJson(text)
    const contents: Record<string, string> = {}
    if (Array.isArray(json)) {
      for (const item of json as Array<Record<string, unknown>>) {
        const path = String(item.path)
        if (typeof item.error === "string") return Effect.fail(fileError(item.error, { path }))
        contents[path] = String(item.content ?? "")
      }
      return Effect.succeed(contents)
    }
    // AgentBay's text: "path:\ncontent\n" blocks joined by "\n---\n"
    for (const block of text.split("\n---\n")) {
      const failed = /^(.*?): Error - (.*)$/s.exec(block)
      if (failed !== null) return Effect.fail(fileError(failed[2]!, { path: failed[1]! }))
      const at = block.indexOf(":\n")
      if (at > 0) contents[block.slice(0, at)] = block.slice(at + 2).replace(/\n$/, "")
    }
    return Effect.succeed(contents)
  })
