/**
 * The `run_code` tool: python and javascript, each call a fresh interpreter
 * that reads the code from stdin, runs it like a notebook cell (the value of a
 * trailing expression is the main result) and reports result and error on
 * fd 3, so stdout and stderr stay exactly what the code printed.
 *
 * @internal
 */
import type { HelperConfig } from "./protocol.js"
import { runProcess } from "./processes.js"

/** Language names and aliases accepted by run_code, as AgentBay accepts them. */
export const LANGUAGE_ALIASES: Record<string, "python" | "javascript"> = {
  python: "python",
  python3: "python",
  py: "python",
  javascript: "javascript",
  js: "javascript",
  node: "javascript",
  nodejs: "javascript"
}

const PYTHON_BOOTSTRAP = String.raw`
import ast, json, os, sys, traceback
src = sys.stdin.read()
sys.stdin.close()
sys.stdin = open(os.devnull)
side = os.fdopen(3, "w")
sys.argv = ["<code>"]
ns = {"__name__": "__main__", "__builtins__": __builtins__}
def report(obj):
    side.write(json.dumps(obj))
    side.flush()
try:
    tree = ast.parse(src, "<code>", "exec")
    last = None
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        last = ast.Expression(tree.body.pop().value)
    exec(compile(tree, "<code>", "exec"), ns)
    if last is not None:
        value = eval(compile(last, "<code>", "eval"), ns)
        if value is not None:
            report({"result": repr(value)})
except SystemExit as e:
    code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    sys.stdout.flush()
    os._exit(code)
except BaseException as e:
    tb = e.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename == "<string>":
        tb = tb.tb_next
    tb = traceback.format_exception(type(e), e, tb)
    report({"error": {"name": type(e).__name__, "value": str(e), "traceback": "".join(tb)}})
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(1)
`

const JAVASCRIPT_BOOTSTRAP = String.raw`
const fs = require("node:fs"), vm = require("node:vm"), util = require("node:util")
const src = fs.readFileSync(0, "utf8")
const report = (obj) => fs.writeSync(3, JSON.stringify(obj))
const fail = (e) => {
  const err = e instanceof Error ? e : new Error(String(e))
  report({ error: { name: err.name, value: err.message, traceback: err.stack ?? String(err) } })
  process.exitCode = 1
}
globalThis.require = require
globalThis.module = module
globalThis.exports = module.exports
globalThis.__filename = "<code>"
globalThis.__dirname = process.cwd()
process.on("uncaughtException", fail)
process.on("unhandledRejection", fail)
let script
try {
  script = new vm.Script(src, { filename: "<code>" })
} catch (e) {
  if (e instanceof SyntaxError && /await/.test(e.message)) {
    script = new vm.Script("(async () => {\n" + src + "\n})()", { filename: "<code>", lineOffset: -1 })
  } else {
    fail(e)
  }
}
if (script) {
  try {
    Promise.resolve(script.runInThisContext()).then(
      (value) => { if (value !== undefined) report({ result: util.inspect(value) }) },
      fail
    )
  } catch (e) {
    fail(e)
  }
}
`

/** The JSON text AgentBay's run_code returns (with `error` and `timed_out` as extensions). */
export interface RunCodeText {
  readonly result: ReadonlyArray<string>
  readonly stdout: ReadonlyArray<string>
  readonly stderr: ReadonlyArray<string>
  readonly executionError: string
  readonly execution_time: number
  readonly error?: { readonly name: string; readonly value: string; readonly traceback: string }
  readonly timed_out: boolean
  readonly truncated: boolean
  readonly exit_code: number
}

/** Runs one cell; `language` is already normalised. */
export const runCode = async (
  config: HelperConfig,
  language: "python" | "javascript",
  code: string,
  timeoutMs: number,
  signal: AbortSignal
): Promise<RunCodeText> => {
  const argv = language === "python"
    ? [config.python!, "-u", "-c", PYTHON_BOOTSTRAP]
    : [config.node, "-e", JAVASCRIPT_BOOTSTRAP]
  const outcome = await runProcess(config, {
    argv,
    cwd: config.home,
    env: config.env,
    timeoutMs,
    stdin: code,
    sideChannel: true,
    signal
  })
  let side: { result?: string; error?: RunCodeText["error"] } = {}
  try {
    if (outcome.side.length > 0) side = JSON.parse(outcome.side)
  } catch {
    side = {}
  }
  let error = side.error
  if (outcome.timedOut) {
    error = { name: "TimeoutError", value: `execution timed out after ${timeoutMs} ms`, traceback: "" }
  } else if (error === undefined && outcome.exitCode > 128) {
    const signal = outcome.exitCode - 128
    error = {
      name: "KilledError",
      value: signal === 9
        ? `the ${language} process was killed (SIGKILL): it most likely exceeded the session's memory limit`
        : signal === 24
        ? `the ${language} process exceeded the session's CPU time limit (SIGXCPU)`
        : signal === 25
        ? `the ${language} process exceeded the session's file size limit (SIGXFSZ)`
        : `the ${language} process was killed by signal ${signal}`,
      traceback: outcome.stderr
    }
  } else if (error === undefined && outcome.exitCode !== 0) {
    error = {
      name: "ExitError",
      value: `the ${language} process exited with code ${outcome.exitCode}`,
      traceback: outcome.stderr
    }
  }
  const result = side.result === undefined ? [] : [JSON.stringify({ isMainResult: true, "text/plain": side.result })]
  return {
    result,
    stdout: outcome.stdout.length > 0 ? [outcome.stdout] : [],
    stderr: outcome.stderr.length > 0 ? [outcome.stderr] : [],
    executionError: error === undefined ? "" : `${error.name}: ${error.value}`,
    execution_time: outcome.durationMs,
    ...(error === undefined ? {} : { error }),
    timed_out: outcome.timedOut,
    truncated: outcome.truncated,
    exit_code: outcome.exitCode
  }
}
