/**
 * Runs every file of examples/ as a user would (`tsx examples/<file>`, in a
 * fresh process, from the repository root) and checks its exit code and what
 * it printed against the table below. At most two run at a time: each
 * creates sandboxes, and sandboxes want cores.
 */
import { spawn } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { describe, type ExpectStatic, it } from "@effect/vitest"

const root = path.resolve(__dirname, "..")
const tsx = path.join(root, "node_modules", ".bin", "tsx")
const examples = fs.readdirSync(path.join(root, "examples")).filter((file) => file !== "README.md").sort()

/** A run's own time limit; the test's is larger, as runs may wait their turn. */
const RUN_TIMEOUT_MS = 90_000
const TEST_TIMEOUT_MS = 240_000
const AT_ONCE = 2

interface Run {
  /** Command-line arguments (default none). */
  readonly args?: ReadonlyArray<string>
  /** Expected exit code (default 0). */
  readonly exitCode?: number
  /** Each substring must occur in stdout, each RegExp match it. */
  readonly stdout: ReadonlyArray<string | RegExp>
  /** Same for stderr; when absent, stderr must be empty. */
  readonly stderr?: ReadonlyArray<string | RegExp>
  /** Further checks of stdout (order, counts). */
  readonly check?: (stdout: string, expect: ExpectStatic) => void
}

const tasks = (from: number, to: number, name = (i: number) => `Task ${i}`) =>
  Array.from({ length: to - from + 1 }, (_, i) => name(from + i)).join(", ")
const seconds = String.raw`\d+\.\d\d`

/** What each example must print. Every file of examples/ (but README.md) needs an entry. */
/** What both web endpoints (node:http and @effect/platform) print for the same requests. */
const webEndpointExchange = [
  /listening on http:\/\/127\.0\.0\.1:\d+/,
  `POST /execute python -> 200 {"success":true,"result":"45"}`,
  `POST /execute javascript -> 200 {"success":true,"result":"[ 2, 4, 6 ]"}`
]

const table: Readonly<Record<string, ReadonlyArray<Run>>> = {
  "demo.ts": [{
    stdout: [
      /created session-\w+ in \d+ ms/,
      /shell \(exit 0, \d+ ms\):\n  Hello from sandbox as user\n/,
      /python: printed "python 3\.\d+\.\d+\\n", result 45/,
      /javascript: printed "node v\d+\.\d+\.\d+\\n", result \[ 1, 4, 9 \]/,
      `file: read back "written by the demo\\n"; /home/user holds notes.txt`,
      "reading /etc/shadow: PathOutsideWorkspaceError",
      /sessions labelled app=demo: session-\w+ \(RUNNING\)/,
      /deleted session-\w+; sessions left: 0/
    ]
  }],
  "batch-file-processing.ts": [{
    stdout: [
      "Processed: /tmp/file1.txt\nProcessed: /tmp/file2.txt\nProcessed: /tmp/file3.txt\n",
      `/tmp/file1.txt.processed: "HELLO FROM FILE 1\\n"`,
      `/tmp/file2.txt.processed: "HELLO FROM FILE 2\\n"`,
      `/tmp/file3.txt.processed: "HELLO FROM FILE 3\\n"`
    ]
  }],
  "cli-tool.ts": [
    { args: ["6 * 7"], stdout: [/^42\n$/] },
    { args: ["--language", "javascript", "[1, 2, 3].map((x) => x * 2)"], stdout: [/^\[ 2, 4, 6 \]\n$/] },
    { args: ["1/0"], exitCode: 1, stdout: [/^Error: ZeroDivisionError: division by zero\n$/] },
    { args: [], exitCode: 2, stdout: [/^$/], stderr: ["usage: cli-tool", "error: expected exactly one argument: code"] }
  ],
  "quick-prototype.ts": [{ stdout: [/^Hello World\ndeleted session-\w+: true\n$/] }],
  "web-endpoint.ts": [{ stdout: [...webEndpointExchange, "server and client closed"] }],
  "web-endpoint-effect.ts": [{ stdout: [...webEndpointExchange, "server closed"] }],
  "concurrent-tasks.ts": [{ stdout: ["task1: Task 1\ntask2: Task 2\ntask3: Task 3\n", new RegExp(`3 tasks in ${seconds} s`)] }],
  "realtime-monitoring.ts": [{
    stdout: [/All monitors ended after \d+, \d+, \d+ checks/],
    check: (stdout, expect) => {
      const lines = stdout.split("\n")
      const ids = [...new Set(lines.flatMap((line) => /^Session (session-\w+): Active$/.exec(line)?.[1] ?? []))]
      expect(ids).toHaveLength(3)
      for (const id of ids) {
        const deleting = lines.indexOf(`Deleting ${id}`)
        const terminated = lines.indexOf(`Session ${id}: Terminated (SessionNotFoundError)`)
        expect(deleting, `${id} deleted`).toBeGreaterThan(lines.indexOf(`Session ${id}: Active`))
        expect(terminated, `${id} seen terminated after its deletion`).toBeGreaterThan(deleting)
        expect(lines.lastIndexOf(`Session ${id}: Active`), `${id} not active after termination`).toBeLessThan(terminated)
        expect(lines.filter((line) => line.startsWith(`Session ${id}: Terminated`))).toHaveLength(1)
      }
    }
  }],
  "throughput-comparison.ts": [{
    stdout: [
      new RegExp(`blocking, sequential: 10 tasks in ${seconds} s -> ${tasks(0, 9)}\n`),
      new RegExp(`Promise, concurrent: 10 tasks in ${seconds} s -> ${tasks(0, 9)}\n`),
      new RegExp(`speedup: ${seconds}x`)
    ]
  }],
  "migration.ts": [{
    stdout: [
      "before (blocking client): sum(range(1, 11)) = 55\n",
      "after (Promise client):   sum(range(1, 11)) = 55\n",
      "after, via .then:         sum(range(1, 11)) = 55\n",
      "same result: true\n"
    ]
  }],
  "sync-cleanup.ts": [{
    stdout: [
      "try/finally: ran code -> working\n",
      `try/finally: caught "something failed half-way"; session deleted (get -> SessionNotFoundError)\n`,
      "using: ran code -> working\n",
      `using: caught "something failed half-way"; session deleted (get -> SessionNotFoundError)\n`
    ]
  }],
  "sync-error-handling.ts": [{
    stdout: [
      "Execution failed: ZeroDivisionError: division by zero\n",
      `Command failed: exit code 3, "oops"\n`,
      "Read failed: FileNotFoundError: No such file or directory: /tmp/missing.txt",
      `Run failed (UnsupportedLanguageError): Unsupported language "ruby"`,
      "AgentBay error: FileError (an AgentBayError): Invalid argument path: a path must be a non-empty string",
      "[InvalidArgumentError]\nsession deleted\n"
    ],
    check: (stdout, expect) => expect(stdout).not.toContain("not reached")
  }],
  "sync-reuse-sessions.ts": [{
    stdout: [/^0\n1\n2\n3\n4\n5\n6\n7\n8\n9\n10 runs in one session \(session-\w+\) in \d+\.\d\d s\n$/]
  }],
  "async-gather.ts": [{
    stdout: [
      /^created 3 of 3 sessions concurrently in \d+ ms\n/,
      "results: 0, 10, 20\n",
      /example=async-gather: 3\ndeleted 3 sessions concurrently in \d+ ms\nlive sessions labelled example=async-gather: 0\n$/
    ]
  }],
  "async-timeouts.ts": [{
    stdout: [
      "signal: python processes while running: 1\n",
      /signal: Operation timed out \(TimeoutError\) after \d+\.\d s\n/,
      "signal: python processes after the timeout: 0\n",
      /timeoutMs: success false, TimeoutError: execution timed out after 1000 ms \(after \d+\.\d s\)\n/,
      "timeoutMs: python processes after the timeout: 0\n",
      "command timeoutMs: timedOut true, exitCode 124\n",
      "session afterwards: still alive\n"
    ]
  }],
  "async-semaphore.ts": [{
    stdout: [
      new RegExp(`limitConcurrency: completed 20 tasks, peak concurrency 5, in ${seconds} s\n  ${tasks(0, 19)}\n`),
      new RegExp(`runTasks: completed 20 tasks in ${seconds} s\n  ${tasks(0, 19)}\n`)
    ]
  }],
  "session-pool.ts": [{
    stdout: [
      "hand-written pool: 0 1 2 3 4 5 6 7 8 9 (served by 3 sessions)\n",
      "built-in pool:     0 1 2 3 4 5 6 7 8 9 (served by 3 sessions)\n",
      "live sessions after cleanup: 0\n"
    ]
  }],
  "async-task-queue.ts": [{
    stdout: [`runTasks: ${tasks(0, 9)}\n`],
    check: (stdout, expect) => {
      const results = [...stdout.matchAll(/^worker (\d): Result: (.*)$/gm)]
      expect(results.map((match) => match[2]).sort()).toEqual(tasks(0, 9).split(", ").sort())
      expect(new Set(results.map((match) => match[1]))).toEqual(new Set(["1", "2", "3"]))
    }
  }],
  "retry-backoff.ts": [{
    stdout: [
      /Attempt 1 failed \(Session creation failed \(LimitReached\): .*\), retrying in 500 ms\.\.\.\n/,
      /by hand: Session created: session-\w+\n/,
      /retry option: success true after \d+ ms of retries\n/,
      "no retry: success false, Session creation failed (LimitReached) (retryable: true)\n",
      "bad image: success false, Session creation failed (UnsupportedImage) (retryable: false)\n"
    ]
  }],
  "forgotten-await.ts": [{
    stdout: ["Wrong: got a Promise; its .success is undefined\n", `Correct: success true, result "hello\\n"\n`]
  }],
  "async-from-sync.ts": [{
    stdout: [
      "Wrong: sync caller got [object Promise] and returned before the work was done\n" +
      "Wrong: the value arrived later: from async code\n" +
      "Correct (top-level await): from async code\n" +
      "Correct (async main): from async code\n" +
      "Correct (blocking client, no await): from sync code\n"
    ]
  }],
  "file-operations-async.ts": [{
    stdout: [
      "No known limitation here: writeFile and readFile are fully async",
      "writeFile returns a Promise: true\n",
      `write: true; read back: "content"\n`,
      "concurrent writes and reads: file 0, file 1, file 2\n",
      `via a command: "content\\n"\n`,
      "writing /etc/motd: success false (PathOutsideWorkspaceError)\n"
    ]
  }],
  "event-loop-closed.ts": [{
    stdout: [
      "Wrong: first call -> first\n",
      "Wrong: second call after close() was rejected: AgentBayError: This AsyncAgentBay was closed.",
      "Correct: my_func\nCorrect: another_func\n",
      "Correct (await using): my_func, another_func\n"
    ],
    check: (stdout, expect) => expect(stdout).not.toContain("Wrong: second call ->")
  }],
  "measure-performance.ts": [{
    stdout: [new RegExp(`Sequential: ${seconds}s\nConcurrent: ${seconds}s\nSpeedup: ${seconds}x\nlive sessions: 0\n`)]
  }],
  "effect-batch-processing.ts": [{
    stdout: [
      "Processed: /tmp/file1.txt\nProcessed: /tmp/file2.txt\nProcessed: /tmp/file3.txt\n",
      `/tmp/file1.txt.processed: "HELLO FROM FILE 1\\n"\n/tmp/file2.txt.processed: "HELLO FROM FILE 2\\n"\n`,
      `/tmp/file3.txt.processed: "HELLO FROM FILE 3\\n"`
    ]
  }],
  "effect-concurrent-tasks.ts": [{
    stdout: [
      "task1: Task 1\ntask2: Task 2\ntask3: Task 3\ntask4: ValueError: bad input\n",
      new RegExp(`4 tasks in ${seconds} s\nlive sessions: 0\n`)
    ]
  }],
  "effect-session-pool.ts": [{
    stdout: [
      "pool of 3 sessions ready; live sessions: 3\n",
      "results: 0 1 2 3 4 5 6 7 8 9 (served by 3 sessions)\n",
      "live sessions after the scope: 0\n"
    ]
  }],
  "effect-timeouts-retry.ts": [{
    stdout: [
      "timeoutMs: error TimeoutError (execution timed out after 500 ms); python processes left: 0\n",
      "Effect.timeout: interrupted by Effect.timeout; sleep processes left: 0\n",
      "catchTag: FileNotFoundError for /tmp/missing.txt; PathOutsideWorkspaceError (allowed: /home/user, /tmp); " +
      "UnsupportedLanguageError for ruby\n",
      /retry option: created session-\w+ after \d+ ms\n/,
      /Effect\.retry:\n(  attempt failed: SessionCreationError \(retryable: true\)\n)+Effect\.retry: created session-\w+ after \d+ ms\n/
    ]
  }]
}

interface Outcome {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
  readonly timedOut: boolean
  readonly ms: number
}

/** Runs `tsx examples/<file> ...args` from the repository root, without the parent's NODE_OPTIONS. */
const runExample = (file: string, args: ReadonlyArray<string>): Promise<Outcome> =>
  new Promise((resolve) => {
    const started = Date.now()
    const env = { ...process.env }
    delete env.NODE_OPTIONS
    const child = spawn(tsx, [path.join("examples", file), ...args], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] })
    let stdout = ""
    let stderr = ""
    let timedOut = false
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk))
    const timer = setTimeout(() => {
      timedOut = true
      child.kill("SIGTERM")
      setTimeout(() => child.kill("SIGKILL"), 5_000).unref()
    }, RUN_TIMEOUT_MS)
    child.on("error", (error) => (stderr += `spawn failed: ${error.message}`))
    child.on("close", (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, stdout, stderr, timedOut, ms: Date.now() - started })
    })
  })

/** At most `max` of the tasks given to it run at once, the others in order after them. */
const makeLimit = (max: number) => {
  let active = 0
  const waiting: Array<() => void> = []
  const next = () => {
    if (active >= max) return
    const start = waiting.shift()
    if (start === undefined) return
    active++
    start()
  }
  return <A>(task: () => Promise<A>): Promise<A> =>
    new Promise<A>((resolve, reject) => {
      waiting.push(() => {
        task().then(resolve, reject).finally(() => {
          active--
          next()
        })
      })
      next()
    })
}

const limit = makeLimit(AT_ONCE)

const verify = (expect: ExpectStatic, file: string, run: Run, outcome: Outcome): void => {
  const where = `examples/${file} ${JSON.stringify(run.args ?? [])} (${outcome.ms} ms)\n` +
    `--- stdout\n${outcome.stdout}--- stderr\n${outcome.stderr}---`
  expect(outcome.timedOut, `timed out after ${RUN_TIMEOUT_MS} ms: ${where}`).toBe(false)
  expect({ code: outcome.code, signal: outcome.signal }, where).toEqual({ code: run.exitCode ?? 0, signal: null })
  for (const pattern of run.stdout) {
    if (typeof pattern === "string") expect(outcome.stdout, where).toContain(pattern)
    else expect(outcome.stdout, where).toMatch(pattern)
  }
  if (run.stderr === undefined) {
    expect(outcome.stderr, where).toBe("")
  } else {
    for (const pattern of run.stderr) {
      if (typeof pattern === "string") expect(outcome.stderr, where).toContain(pattern)
      else expect(outcome.stderr, where).toMatch(pattern)
    }
  }
  run.check?.(outcome.stdout, expect)
}

describe("examples", () => {
  it("every example file has an entry in the table, and every entry a file", ({ expect }) => {
    expect(examples.filter((file) => !(file in table)), "examples without an entry in test/examples.test.ts").toEqual([])
    expect(Object.keys(table).filter((file) => !examples.includes(file)), "entries without an example file").toEqual([])
  })

  for (const file of examples) {
    it.concurrent(file, async ({ expect }) => {
      const runs = table[file]
      if (runs === undefined) return expect.fail(`examples/${file} has no entry in the table of test/examples.test.ts`)
      const outcomes = await Promise.all(runs.map(async (run) => ({ run, outcome: await limit(() => runExample(file, run.args ?? [])) })))
      for (const { run, outcome } of outcomes) verify(expect, file, run, outcome)
    }, TEST_TIMEOUT_MS)
  }
})
