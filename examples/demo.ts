/**
 * The main demo (`npm start`): one session on the embedded local backend,
 * through the Effect API. Run it with `npx tsx examples/demo.ts`.
 */
import { Console, Effect } from "effect"
import { AgentBay } from "effect-agentbay/effect"

const program = Effect.gen(function*() {
  const bay = yield* AgentBay.AgentBay
  const started = performance.now()
  const session = yield* bay.session({ imageId: "code_latest", labels: { app: "demo" } })
  yield* Console.log(`created ${session.sessionId} in ${(performance.now() - started).toFixed(0)} ms`)

  const shell = yield* session.command.executeCommand("echo Hello from $(hostname) as $(whoami); uname -sr")
  yield* Console.log(`shell (exit ${shell.exitCode}, ${shell.durationMs} ms):\n  ${shell.stdout.trim().split("\n").join("\n  ")}`)

  const python = yield* session.code.runCode("import sys, platform\nprint('python', platform.python_version())\nsum(range(10))", "python")
  yield* Console.log(`python: printed ${JSON.stringify(python.logs.stdout.join(""))}, result ${python.result}`)

  const js = yield* session.code.runCode("console.log('node', process.version); [1, 2, 3].map((x) => x * x)", "javascript")
  yield* Console.log(`javascript: printed ${JSON.stringify(js.logs.stdout.join(""))}, result ${js.result}`)

  yield* session.fileSystem.writeFile("/home/user/notes.txt", "written by the demo\n")
  const text = yield* session.fileSystem.readFile("/home/user/notes.txt")
  const entries = yield* session.fileSystem.listDirectory("/home/user")
  yield* Console.log(`file: read back ${JSON.stringify(text)}; /home/user holds ${entries.map((e) => e.name).join(", ")}`)

  const escape = yield* Effect.either(session.fileSystem.readFile("/etc/shadow"))
  yield* Console.log(`reading /etc/shadow: ${escape._tag === "Left" ? escape.left._tag : "read (!)"}`)

  const listed = yield* bay.list({ labels: { app: "demo" } })
  yield* Console.log(`sessions labelled app=demo: ${listed.sessionIds.map((s) => `${s.sessionId} (${s.sessionStatus})`).join(", ")}`)

  yield* session.delete()
  yield* Console.log(`deleted ${session.sessionId}; sessions left: ${(yield* bay.list({ labels: { app: "demo" } })).totalCount}`)
})

// `session` is scoped: had anything above failed, the scope would still delete it.
program.pipe(
  Effect.scoped,
  Effect.provide(AgentBay.layerLocal()),
  Effect.catchAll((error) => Console.error(`demo failed: ${error.message}`).pipe(Effect.andThen(Effect.sync(() => process.exitCode = 1)))),
  Effect.runPromise
)
