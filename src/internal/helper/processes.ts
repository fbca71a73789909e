/**
 * Running one command inside the sandbox: its own session and process group,
 * a tag in its environment, capped output, and a timeout that kills the whole
 * tree (the group, and every process still carrying the tag after `setsid`).
 *
 * @internal
 */
import { spawn } from "node:child_process"
import * as fs from "node:fs"
import { COMMAND_TAG, type HelperConfig } from "./protocol.js"

/** What a finished process left behind. */
export interface ProcessOutcome {
  readonly exitCode: number
  readonly stdout: string
  readonly stderr: string
  /** Text written by the process to fd 3 (the side channel of run_code). */
  readonly side: string
  readonly timedOut: boolean
  readonly cancelled: boolean
  readonly truncated: boolean
  readonly durationMs: number
}

/** Options of {@link runProcess}. */
export interface RunOptions {
  readonly argv: ReadonlyArray<string>
  readonly cwd: string
  readonly env: Record<string, string>
  readonly timeoutMs: number
  readonly stdin?: string
  readonly sideChannel?: boolean
  readonly signal: AbortSignal
}

/** Exit code reported for a command killed by its timeout (as coreutils `timeout`). */
export const TIMEOUT_EXIT_CODE = 124

let nextTag = 0

/**
 * Applies the per-process CPU limit. A shell command gets `ulimit` in front
 * of its own text (no extra process); other programs get a wrapping shell.
 * The sandbox-wide limits (open files, file size) are set once, on bwrap.
 */
const withLimits = (config: HelperConfig, argv: ReadonlyArray<string>): ReadonlyArray<string> => {
  if (config.cpuSeconds === null) return argv
  const ulimit = `ulimit -t ${Math.max(1, Math.ceil(config.cpuSeconds))}`
  if (argv[0] === "/bin/sh" && argv[1] === "-c" && argv.length === 3) return ["/bin/sh", "-c", `${ulimit}; ${argv[2]}`]
  return ["/bin/sh", "-c", `${ulimit} && exec "$@"`, "agentbay", ...argv]
}

/** Pids of live processes (other than this helper) whose environment holds `needle`. */
const taggedPids = (needle: Buffer): Array<number> => {
  const out: Array<number> = []
  for (const name of fs.readdirSync("/proc")) {
    const pid = Number(name)
    if (!Number.isInteger(pid) || pid === process.pid) continue
    try {
      const environ = Buffer.concat([NUL, fs.readFileSync(`/proc/${name}/environ`)])
      if (environ.includes(needle)) out.push(pid)
    } catch {
      // gone already
    }
  }
  return out
}

const NUL = Buffer.from([0])

/**
 * Kills the process group `pgid` and every process still tagged with `tag`,
 * repeating until none is left (a forking process may add members meanwhile).
 */
export const killTree = (pgid: number, tag: string): void => {
  try {
    process.kill(-pgid, "SIGKILL")
  } catch {
    // the group is gone
  }
  killMatching(Buffer.from(`\0${COMMAND_TAG}=${tag}\0`))
}

/** Kills every process whose tag starts with `prefix` (all commands of one helper). */
export const killTagged = (prefix: string): void => killMatching(Buffer.from(`\0${COMMAND_TAG}=${prefix}`))

const killMatching = (needle: Buffer): void => {
  for (let round = 0; round < 50; round++) {
    const victims = taggedPids(needle)
    if (victims.length === 0) return
    for (const pid of victims) {
      try {
        process.kill(pid, "SIGKILL")
      } catch {
        // raced with its exit
      }
    }
  }
}

/** Collects a stream up to `cap` bytes, then keeps draining and counts the rest. */
class CappedBuffer {
  private chunks: Array<Buffer> = []
  private size = 0
  truncated = false
  constructor(private readonly cap: number) {}
  push(chunk: Buffer): void {
    const room = this.cap - this.size
    if (room <= 0) {
      this.truncated = true
      return
    }
    if (chunk.length > room) {
      this.chunks.push(chunk.subarray(0, room))
      this.size += room
      this.truncated = true
      return
    }
    this.chunks.push(chunk)
    this.size += chunk.length
  }
  text(): string {
    return Buffer.concat(this.chunks).toString("utf8")
  }
}

/** How long to keep reading pipes held open by background children after the main process exited. */
const DRAIN_AFTER_EXIT_MS = 25

/**
 * Runs argv to completion (or timeout / cancellation) and resolves with what
 * it printed. Never rejects: spawn failures come back as exit code 127.
 */
export const runProcess = (config: HelperConfig, options: RunOptions): Promise<ProcessOutcome> =>
  new Promise((resolve) => {
    const started = performance.now()
    const tag = `${process.pid}.${++nextTag}`
    const stdout = new CappedBuffer(config.maxOutputBytes)
    const stderr = new CappedBuffer(config.maxOutputBytes)
    const side = new CappedBuffer(config.maxOutputBytes)
    const argv = withLimits(config, options.argv)
    const child = spawn(argv[0]!, argv.slice(1), {
      cwd: options.cwd,
      env: { ...options.env, [COMMAND_TAG]: tag },
      detached: true,
      stdio: [options.stdin === undefined ? "ignore" : "pipe", "pipe", "pipe", ...(options.sideChannel ? ["pipe" as const] : [])]
    })
    let timedOut = false
    let cancelled = false
    let exitCode: number | null = null
    let settled = false
    const pgid = child.pid

    const finish = () => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      clearTimeout(drain)
      options.signal.removeEventListener("abort", onAbort)
      // background children may still hold the pipes: stop listening to them
      for (const stream of child.stdio) stream?.destroy()
      resolve({
        exitCode: timedOut ? TIMEOUT_EXIT_CODE : exitCode ?? 1,
        stdout: stdout.text(),
        stderr: stderr.text(),
        side: side.text(),
        timedOut,
        cancelled,
        truncated: stdout.truncated || stderr.truncated,
        durationMs: Math.round(performance.now() - started)
      })
    }
    const kill = () => {
      if (pgid !== undefined) killTree(pgid, tag)
    }
    const onAbort = () => {
      cancelled = true
      kill()
    }
    const timer = setTimeout(() => {
      timedOut = true
      kill()
    }, options.timeoutMs)
    let drain: ReturnType<typeof setTimeout> | undefined
    options.signal.addEventListener("abort", onAbort, { once: true })

    child.stdout!.on("data", (chunk: Buffer) => stdout.push(chunk))
    child.stderr!.on("data", (chunk: Buffer) => stderr.push(chunk))
    if (options.sideChannel) (child.stdio[3] as NodeJS.ReadableStream).on("data", (chunk: Buffer) => side.push(chunk))
    if (options.stdin !== undefined) {
      child.stdin!.on("error", () => {})
      child.stdin!.end(options.stdin)
    }
    child.on("error", (error) => {
      stderr.push(Buffer.from(`${error.message}\n`))
      exitCode = 127
      finish()
    })
    child.on("exit", (code, signal) => {
      exitCode = code ?? 128 + signalNumber(signal)
      if (timedOut || cancelled) kill()
      drain = setTimeout(finish, DRAIN_AFTER_EXIT_MS)
    })
    child.on("close", finish)
  })

const SIGNALS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGABRT: 6, SIGKILL: 9, SIGSEGV: 11, SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15, SIGXCPU: 24, SIGXFSZ: 25 }

const signalNumber = (signal: NodeJS.Signals | null): number => (signal === null ? 0 : SIGNALS[signal] ?? 0)
