/**
 * The resident helper: one per local session, started by bubblewrap as the
 * sandbox's first process. It serves AgentBay's MCP tools over stdin/stdout
 * (see `protocol.ts`) until the host kills the sandbox. Node built-ins only:
 * this file is bundled on its own and read into the sandbox.
 *
 * @internal
 */
import * as fs from "node:fs"
import * as readline from "node:readline"
import { FileTools, INVALID } from "./files.js"
import { killTagged, runProcess } from "./processes.js"
import type { HelperConfig, HelperReady, HelperReply, HelperRequest, ToolResult } from "./protocol.js"
import { LANGUAGE_ALIASES, runCode } from "./runCode.js"

/** bwrap passes every inherited descriptor through; keep only ours (all opened close-on-exec). */
const closeInheritedFds = (): void => {
  const O_CLOEXEC = 0o2000000
  for (const name of fs.readdirSync("/proc/self/fdinfo")) {
    const fd = Number(name)
    if (!Number.isInteger(fd) || fd <= 2) continue
    try {
      const flags = /flags:\s*([0-7]+)/.exec(fs.readFileSync(`/proc/self/fdinfo/${name}`, "utf8"))
      if (flags !== null && (parseInt(flags[1]!, 8) & O_CLOEXEC) === 0) fs.closeSync(fd)
    } catch {
      // the descriptor of the directory listing itself
    }
  }
}

const text = (body: string, isError = false): ToolResult => ({ content: [{ type: "text", text: body }], isError })

const MAX_COMMAND_BYTES = 128 * 1024 - 1

const isStringRecord = (value: unknown): value is Record<string, string> =>
  typeof value === "object" && value !== null && !Array.isArray(value) &&
  Object.values(value).every((v) => typeof v === "string")

const invalid = (message: string): ToolResult => text(`${INVALID}: ${message}`, true)

const timeoutArg = (args: Record<string, unknown>, fallbackMs: number): number => {
  if (typeof args.timeout_ms === "number" && args.timeout_ms > 0) return args.timeout_ms
  if (typeof args.timeout_s === "number" && args.timeout_s > 0) return args.timeout_s * 1000
  return fallbackMs
}

const serve = (config: HelperConfig, lines: readline.Interface): void => {
  const files = new FileTools(config.roots, config.home)
  const inflight = new Map<number, AbortController>()

  const shell = async (args: Record<string, unknown>, signal: AbortSignal): Promise<ToolResult> => {
    const { command, cwd, envs } = args
    if (typeof command !== "string" || command.length === 0) return invalid("command must be a non-empty string")
    if (command.includes("\0")) return invalid("command contains a NUL byte")
    if (Buffer.byteLength(command) > MAX_COMMAND_BYTES) {
      return invalid("command is longer than 128 KiB; write it to a file with writeFile and run that file")
    }
    if (envs !== undefined && envs !== null && !isStringRecord(envs)) return invalid("envs must map names to strings")
    for (const [key, value] of Object.entries(envs ?? {})) {
      if (key.length === 0 || key.includes("=") || key.includes("\0") || value.includes("\0")) {
        return invalid(`environment variable ${JSON.stringify(key)} has an invalid name or value`)
      }
    }
    const dir = cwd === undefined || cwd === null || cwd === "" ? config.home : cwd
    if (typeof dir !== "string" || dir.includes("\0")) return invalid("cwd must be a path")
    try {
      if (!fs.statSync(dir).isDirectory()) return invalid(`cwd ${dir} is not a directory`)
    } catch {
      return invalid(`cwd ${dir} does not exist in the session`)
    }
    const outcome = await runProcess(config, {
      argv: ["/bin/sh", "-c", command],
      cwd: dir,
      env: { ...config.env, ...(envs as Record<string, string> | undefined) },
      timeoutMs: timeoutArg(args, 60_000),
      signal
    })
    return text(JSON.stringify({
      stdout: outcome.stdout,
      stderr: outcome.stderr,
      exit_code: outcome.exitCode,
      timed_out: outcome.timedOut,
      truncated: outcome.truncated,
      duration_ms: outcome.durationMs
    }))
  }

  const runCodeTool = async (args: Record<string, unknown>, signal: AbortSignal): Promise<ToolResult> => {
    const { code, language } = args
    if (typeof code !== "string") return invalid("code must be a string")
    const normalised = typeof language === "string" ? LANGUAGE_ALIASES[language.toLowerCase()] : undefined
    if (normalised === undefined) {
      return text(`Unsupported language: ${String(language)}. Supported: python, javascript`, true)
    }
    if (normalised === "python" && config.python === null) {
      return text("Unsupported language: python (no python3 interpreter on this host; install one, e.g. apt-get install -y python3)", true)
    }
    const result = await runCode(config, normalised, code, timeoutArg(args, 60_000), signal)
    return text(JSON.stringify(result))
  }

  const fileTools: Record<string, (args: Record<string, unknown>) => string> = {
    read_file: (a) => files.readFile(a),
    write_file: (a) => files.writeFile(a),
    list_directory: (a) => files.listDirectory(a),
    create_directory: (a) => files.createDirectory(a),
    move_file: (a) => files.moveFile(a),
    delete_file: (a) => files.deleteFile(a),
    get_file_info: (a) => files.getFileInfo(a),
    search_files: (a) => files.searchFiles(a),
    edit_file: (a) => files.editFile(a),
    read_multiple_files: (a) => files.readMultipleFiles(a)
  }

  const dispatch = async (request: HelperRequest, signal: AbortSignal): Promise<ToolResult> => {
    const args = typeof request.args === "object" && request.args !== null ? request.args : {}
    if (request.tool === "shell") return shell(args, signal)
    if (request.tool === "run_code") return runCodeTool(args, signal)
    const tool = fileTools[request.tool]
    if (tool === undefined) return text(`Unknown tool: ${request.tool}`, true)
    try {
      return text(tool(args))
    } catch (error) {
      return text(`Error: ${(error as Error).message}`, true)
    }
  }

  const reply = (message: HelperReply): void => {
    process.stdout.write(`${JSON.stringify(message)}\n`)
  }

  lines.on("line", (line) => {
    let request: HelperRequest
    try {
      request = JSON.parse(line)
    } catch {
      return
    }
    if (request.tool === "cancel") {
      inflight.get(Number(request.args?.id))?.abort()
      return
    }
    const controller = new AbortController()
    inflight.set(request.id, controller)
    dispatch(request, controller.signal).then(
      (result) => reply({ id: request.id, result }),
      (error) => reply({ id: request.id, result: text(`Error: ${String(error)}`, true) })
    ).finally(() => inflight.delete(request.id))
  })
  const ready: HelperReady = { ready: true, pid: process.pid, node: process.version, python: config.python }
  process.stdout.write(`${JSON.stringify(ready)}\n`)
}

/** The first line on stdin is the configuration; requests follow. */
const main = (): void => {
  closeInheritedFds()
  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity })
  // the host closed our stdin: it is gone, and so is everything we started
  lines.on("close", () => {
    killTagged(`${process.pid}.`)
    process.exit(0)
  })
  lines.once("line", (first) => serve(JSON.parse(first) as HelperConfig, lines))
}

main()
