/**
 * Twin of the guide's "Common Patterns > Pattern 2: Async Task Queue": a
 * queue of code to run, drained by N workers, at most `maxConcurrent`
 * sessions at a time. JavaScript runs one thing at a time between awaits, so
 * an array is the queue and a worker ends when it finds the queue empty (the
 * guide's `queue.join()` and cancelling). Then the same batch with the
 * built-in `runTasks`. Run: npx tsx examples/async-task-queue.ts
 */
import { AsyncAgentBay, CreateSessionParams, limitConcurrency } from "effect-agentbay"

interface QueuedTask {
  readonly code: string
  readonly language: string
}

class AsyncTaskQueue {
  private readonly queue: Array<QueuedTask> = []
  private readonly limit: <A>(task: () => Promise<A>) => Promise<A>

  constructor(private readonly agentBay: AsyncAgentBay, maxConcurrent = 5) {
    this.limit = limitConcurrency(maxConcurrent)
  }

  addTask(code: string, language = "python"): void {
    this.queue.push({ code, language })
  }

  private async processTasks(worker: number): Promise<void> {
    for (let task = this.queue.shift(); task !== undefined; task = this.queue.shift()) {
      const { code, language } = task
      await this.limit(async () => {
        const created = await this.agentBay.create(CreateSessionParams({ imageId: "code_latest" }))
        if (!created.success) {
          console.log(`worker ${worker}: Error: ${created.errorMessage}`)
          return
        }
        await using session = created.session
        const result = await session.code.runCode(code, language)
        console.log(`worker ${worker}: Result: ${result.success ? result.result.trim() : result.errorMessage}`)
      })
    }
  }

  async run(numWorkers = 3): Promise<void> {
    await Promise.all(Array.from({ length: numWorkers }, (_, worker) => this.processTasks(worker + 1)))
  }
}

// Usage
const agentBay = new AsyncAgentBay()
const queue = new AsyncTaskQueue(agentBay, 5)

// Add tasks
for (let i = 0; i < 10; i++) queue.addTask(`print('Task ${i}')`)

// Process tasks
await queue.run(3)

// Built in: a session per task, at most `concurrency` at a time, results in order
const batch = await agentBay.runTasks(
  Array.from({ length: 10 }, (_, i) => ({ code: `print('Task ${i}')` })),
  { concurrency: 3 }
)
if (batch.success) {
  console.log(`runTasks: ${batch.results.map((outcome) => (outcome.success ? outcome.result.result.trim() : outcome.failure.message)).join(", ")}`)
} else {
  console.log(`runTasks failed: ${batch.errorMessage}`)
}
