/**
 * The line protocol between the host and the resident helper that runs inside
 * each local sandbox. One JSON object per line in each direction.
 *
 * Requests name an AgentBay MCP tool (`shell`, `run_code`, `read_file`, ...)
 * with AgentBay's own argument names; replies carry AgentBay's MCP
 * `CallToolResult`, so the local and the cloud backend differ only in
 * transport. This module holds types and constants only: the helper bundle
 * and the host both import it.
 *
 * @internal
 */

/** A request from the host. `tool: "cancel"` aborts the in-flight request `args.id`. */
export interface HelperRequest {
  readonly id: number
  readonly tool: string
  readonly args: Record<string, unknown>
}

/** An MCP `CallToolResult`, as AgentBay's `CallMcpTool` returns it. */
export interface ToolResult {
  readonly content: ReadonlyArray<{ readonly type: "text"; readonly text: string }>
  readonly isError: boolean
}

/** A reply to the request with the same `id`. */
export interface HelperReply {
  readonly id: number
  readonly result: ToolResult
}

/** The first line the helper prints once it is ready to serve. */
export interface HelperReady {
  readonly ready: true
  readonly pid: number
  readonly node: string
  readonly python: string | null
}

/** Configuration handed to the helper as its first argument (JSON). */
export interface HelperConfig {
  /** Directories the file tools may touch (the session's writable areas). */
  readonly roots: ReadonlyArray<string>
  /** Default working directory of commands and base of relative paths. */
  readonly home: string
  /** Environment every command and code run starts from. */
  readonly env: Record<string, string>
  /** Cap on the bytes kept of each of stdout and stderr. */
  readonly maxOutputBytes: number
  /** Absolute path of python3 inside the sandbox, or null when there is none. */
  readonly python: string | null
  /** Absolute path of node inside the sandbox. */
  readonly node: string
  /** CPU seconds each process of a command or code run may use (`ulimit -t`), or null. */
  readonly cpuSeconds: number | null
}

/** The environment variable that tags every process a command starts. */
export const COMMAND_TAG = "AGENTBAY_COMMAND_ID"

/** Tools that return JSON instead of AgentBay's line formats when asked with `output: "json"`. */
export const JSON_OUTPUT = "json"
