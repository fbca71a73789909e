/**
 * Twin of the guide's "When to Use Async API > High-Concurrency Applications"
 * (Example: Concurrent Task Processing): `asyncio.gather` becomes
 * `Promise.all`. The guide makes a client per task; one client shared by
 * all tasks is enough (and cheaper). `await using` deletes each task's
 * session when the task ends, even if it throws.
 * Run: npx tsx examples/concurrent-tasks.ts
 */
import { AgentBayError, AsyncAgentBay, CreateSessionParams } from "effect-agentbay"

const agentBay = new AsyncAgentBay()

const processTask = async (taskId: string, code: string): Promise<{ taskId: string; result: string }> => {
  const created = await agentBay.create(CreateSessionParams({ imageId: "code_latest" }))
  if (!created.success) throw new AgentBayError(created.errorMessage, created.failure)
  await using session = created.session

  const result = await session.code.runCode(code, "python")
  return { taskId, result: result.success ? result.result.trimEnd() : `failed: ${result.errorMessage}` }
}

// Process all tasks concurrently
const processMultipleTasks = (tasks: ReadonlyArray<{ id: string; code: string }>) =>
  Promise.all(tasks.map((task) => processTask(task.id, task.code)))

// Usage
const tasks = [
  { id: "task1", code: "print('Task 1')" },
  { id: "task2", code: "print('Task 2')" },
  { id: "task3", code: "print('Task 3')" }
]

const started = performance.now()
const results = await processMultipleTasks(tasks)
for (const result of results) console.log(`${result.taskId}: ${result.result}`)
console.log(`${results.length} tasks in ${((performance.now() - started) / 1000).toFixed(2)} s`)
