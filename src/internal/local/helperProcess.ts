/**
 * The host's end of a session's resident helper: starts the sandbox, waits
 * for the helper's handshake, multiplexes tool calls over its stdin/stdout,
 * and kills the sandbox. Holds the event loop only while a call is in flight,
 * so an idle session never keeps a script alive.
 *
 * @internal
 */
import { type ChildProcess, spawn } from "node:child_process"
import * as readline from "node:readline"
import { isMainThread } from "node:worker_threads"
import type { Readable, Writable } from "node:stream"
import type { SandboxUnavailableError } from "../../AgentBayError.js"
import type { HelperConfig, HelperReady, HelperReply, ToolResult } from "../helper/protocol.js"
import { killTagged } from "../helper/processes.js"
import { spawnFailure, startFailure } from "./diagnose.js"

/** What to start: a program, its arguments, data for descriptors 3.., and the helper's configuration. */
export interface Launch {
  readonly command: string
  readonly args: ReadonlyArray<string>
  readonly dataFds: ReadonlyArray<Buffer>
  /** Descriptor on which bwrap reports the sandbox's pid, if any. */
  readonly infoFd?: number
  readonly config: HelperConfig
  readonly env: Record<string, string>
  readonly startTimeoutMs: number
  /** The helper runs directly on the host (no sandbox): its commands are found by their tag to kill them. */
  readonly unsandboxed?: boolean
}

type Pending = (outcome: { readonly result: ToolResult } | { readonly exited: true }) => void

const STDERR_KEEP = 8 * 1024

/** A running helper. */
export class HelperProcess {
  private nextId = 0
  private readonly pending = new Map<number, Pending>()
  private exited = false
  private readonly exitWaiters: Array<() => void> = []
  private stderrTail = ""
  /** Host pid of the sandbox's init (bwrap `--info-fd`), whose death takes the whole sandbox along. */
  private sandboxPid: number | undefined

  private constructor(
    private readonly child: ChildProcess,
    private readonly unsandboxed: boolean,
    private readonly onExit: () => void
  ) {}

  /** Starts the helper and resolves once it has answered the handshake. */
  static start(launch: Launch, onExit: () => void): Promise<HelperProcess> {
    return new Promise((resolve, reject) => {
      const stdio: Array<"pipe" | "ignore"> = ["pipe", "pipe", "pipe"]
      for (let i = 0; i < launch.dataFds.length; i++) stdio.push("pipe")
      if (launch.infoFd !== undefined) stdio.push("pipe")
      let child: ChildProcess
      try {
        child = spawn(launch.command, launch.args, { stdio, env: launch.env })
      } catch (error) {
        reject(spawnFailure(launch.command, error as NodeJS.ErrnoException))
        return
      }
      const helper = new HelperProcess(child, launch.unsandboxed === true, onExit)
      let started = false
      const fail = (error: SandboxUnavailableError) => {
        if (started) return
        started = true
        clearTimeout(timer)
        helper.killNow()
        reject(error)
      }
      const timer = setTimeout(
        () => fail(startFailure(`${helper.stderrTail}\nthe sandbox did not answer within ${launch.startTimeoutMs} ms`, null)),
        launch.startTimeoutMs
      )
      child.on("error", (error) => fail(spawnFailure(launch.command, error as NodeJS.ErrnoException)))
      child.stderr!.on("data", (chunk: Buffer) => {
        helper.stderrTail = (helper.stderrTail + chunk.toString("utf8")).slice(-STDERR_KEEP)
      })
      child.on("exit", (code) => {
        helper.exited = true
        for (const reply of helper.pending.values()) reply({ exited: true })
        helper.pending.clear()
        for (const waiter of helper.exitWaiters.splice(0)) waiter()
        if (!started) fail(startFailure(helper.stderrTail, code))
        else helper.onExit()
      })
      launch.dataFds.forEach((data, i) => {
        const stream = child.stdio[3 + i] as Writable
        stream.on("error", () => {})
        stream.end(data)
      })
      if (launch.infoFd !== undefined) {
        const info = child.stdio[launch.infoFd] as Readable
        let text = ""
        info.on("data", (chunk: Buffer) => {
          text += chunk.toString("utf8")
          const pid = /"child-pid"\s*:\s*(\d+)/.exec(text)
          if (pid !== null) helper.sandboxPid = Number(pid[1])
        })
        info.on("error", () => {})
      }
      child.stdin!.on("error", () => {})
      child.stdin!.write(`${JSON.stringify(launch.config)}\n`)
      const lines = readline.createInterface({ input: child.stdout!, crlfDelay: Infinity })
      lines.on("line", (line) => {
        let message: HelperReply | HelperReady
        try {
          message = JSON.parse(line)
        } catch {
          return
        }
        if ("ready" in message) {
          if (started) return
          started = true
          clearTimeout(timer)
          helper.idle()
          resolve(helper)
          return
        }
        const reply = helper.pending.get(message.id)
        if (reply === undefined) return
        helper.pending.delete(message.id)
        if (helper.pending.size === 0) helper.idle()
        reply({ result: message.result })
      })
    })
  }

  /** The last lines the sandbox printed on stderr (for diagnostics). */
  get stderr(): string {
    return this.stderrTail
  }

  get alive(): boolean {
    return !this.exited
  }

  get inFlight(): number {
    return this.pending.size
  }

  /** Calls a tool; `reply` receives the result, or `{exited: true}` if the sandbox died first. Returns a cancel function. */
  call(tool: string, args: Record<string, unknown>, reply: Pending): () => void {
    if (this.exited) {
      reply({ exited: true })
      return () => {}
    }
    const id = ++this.nextId
    if (this.pending.size === 0) this.busy()
    this.pending.set(id, reply)
    this.child.stdin!.write(`${JSON.stringify({ id, tool, args })}\n`)
    return () => {
      if (!this.pending.delete(id)) return
      if (this.pending.size === 0) this.idle()
      if (!this.exited) this.child.stdin!.write(`${JSON.stringify({ id: 0, tool: "cancel", args: { id } })}\n`)
    }
  }

  /** Kills the sandbox and everything in it; resolves once the sandbox is gone. */
  kill(): Promise<void> {
    return new Promise((resolve) => {
      if (this.exited) return resolve()
      this.exitWaiters.push(resolve)
      this.busy()
      this.killNow()
    })
  }

  /**
   * Kills synchronously (for `process.on("exit")`). Killing the sandbox's init
   * first makes the kernel empty its pid namespace before bwrap reports the exit.
   */
  killNow(): void {
    if (this.sandboxPid !== undefined) {
      try {
        process.kill(this.sandboxPid, "SIGKILL")
      } catch {
        // already gone
      }
    }
    const pid = this.child.pid
    if (pid === undefined) return
    try {
      process.kill(pid, "SIGKILL")
    } catch {
      // already gone
    }
    // without a sandbox, what the helper started lives on unless found by its tag
    if (this.unsandboxed) killTagged(`${pid}.`)
  }

  private handles(): Array<{ ref?: () => void; unref?: () => void }> {
    // a destroyed stream has no handle: ref() would queue a listener instead
    return [this.child, ...this.child.stdio.filter((s) => s != null && !s.destroyed)] as any
  }

  /**
   * Holds the event loop while a call is in flight. In a worker thread (the
   * blocking client's) there is nothing to hold: the worker itself is
   * unref'd, and toggling every handle per call costs ~0.2 ms there.
   */
  private busy(): void {
    if (!isMainThread) return
    for (const h of this.handles()) h.ref?.()
  }

  private idle(): void {
    if (!isMainThread) return
    for (const h of this.handles()) h.unref?.()
  }
}
