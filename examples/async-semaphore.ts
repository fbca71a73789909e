/**
 * Twin of the guide's "Best Practices > Async API > 3. Use Semaphores to
 * Limit Concurrency": 20 tasks, at most 5 at a time. `limitConcurrency(5)`
 * is the semaphore (for any async work); `runTasks` is the whole pattern
 * built in (a session per task, created and deleted for it).
 * Run: npx tsx examples/async-semaphore.ts
 */
import { AgentBayError, AsyncAgentBay, CreateSessionParams, limitConcurrency } from "effect-agentbay"

const agentBay = new AsyncAgentBay()
let running = 0
let peak = 0

const runTask = async (taskId: number): Promise<string> => {
  running++
  peak = Math.max(peak, running)
  try {
    const created = await agentBay.create(CreateSessionParams({ imageId: "code_latest" }))
    if (!created.success) throw new AgentBayError(created.errorMessage, created.failure)
    await using session = created.session
    const result = await session.code.runCode(`print('Task ${taskId}')`, "python")
    return result.success ? result.result.trim() : result.errorMessage
  } finally {
    running--
  }
}

// Limit to 5 concurrent operations
const limit = limitConcurrency(5)
let started = performance.now()
const results = await Promise.all(Array.from({ length: 20 }, (_, i) => limit(() => runTask(i))))
console.log(`limitConcurrency: completed ${results.length} tasks, peak concurrency ${peak}, in ${((performance.now() - started) / 1000).toFixed(2)} s`)
console.log(`  ${results.join(", ")}`)

// The same, built in
started = performance.now()
const batch = await agentBay.runTasks(
  Array.from({ length: 20 }, (_, i) => ({ code: `print('Task ${i}')`, language: "python" })),
  { concurrency: 5 }
)
if (!batch.success) throw new AgentBayError(batch.errorMessage, batch.failure)
const outputs = batch.results.map((outcome) => (outcome.success ? outcome.result.result.trim() : outcome.failure.message))
console.log(`runTasks: completed ${outputs.length} tasks in ${((performance.now() - started) / 1000).toFixed(2)} s`)
console.log(`  ${outputs.join(", ")}`)
