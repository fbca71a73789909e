/**
 * Effect-native twin of the guide's "Example: Concurrent Task Processing":
 * `Effect.forEach` with `concurrency` instead of `asyncio.gather`, a scoped
 * session per task. A task whose code raises is data (`result.error`), not a
 * failure of the batch. Run: npx tsx examples/effect-concurrent-tasks.ts
 */
import { Console, Effect } from "effect"
import { AgentBay } from "effect-agentbay/effect"

const processTask = (taskId: string, code: string) =>
  Effect.gen(function*() {
    const session = yield* AgentBay.session({ imageId: "code_latest" })
    const result = yield* session.code.runCode(code, "python")
    return { taskId, result: result.error === undefined ? result.result.trim() : `${result.error.name}: ${result.error.value}` }
  }).pipe(Effect.scoped)

const tasks = [
  { id: "task1", code: "print('Task 1')" },
  { id: "task2", code: "print('Task 2')" },
  { id: "task3", code: "print('Task 3')" },
  { id: "task4", code: "raise ValueError('bad input')" }
]

const program = Effect.gen(function*() {
  const started = performance.now()
  const results = yield* Effect.forEach(tasks, (task) => processTask(task.id, task.code), { concurrency: 4 })
  for (const result of results) yield* Console.log(`${result.taskId}: ${result.result}`)
  yield* Console.log(`${results.length} tasks in ${((performance.now() - started) / 1000).toFixed(2)} s`)
  const bay = yield* AgentBay.AgentBay
  yield* Console.log(`live sessions: ${(yield* bay.list()).totalCount}`)
})

program.pipe(
  Effect.provide(AgentBay.layerLocal()),
  Effect.catchAll((error) => Console.error(`failed: ${error.message}`).pipe(Effect.andThen(Effect.sync(() => process.exitCode = 1)))),
  Effect.runPromise
)
