/**
 * Twin of the guide's "Troubleshooting > Performance Debugging > Measure
 * Async Performance": create and delete 5 sessions one after another, then
 * all at once, and compare. Run: npx tsx examples/measure-performance.ts
 */
import { AgentBayError, AsyncAgentBay, CreateSessionParams } from "effect-agentbay"

const agentBay = new AsyncAgentBay()

const createAndDelete = async (): Promise<void> => {
  const created = await agentBay.create(CreateSessionParams({ imageId: "code_latest" }))
  if (!created.success) throw new AgentBayError(created.errorMessage, created.failure)
  await agentBay.delete(created.session)
}

// Sequential
let start = performance.now()
for (let i = 0; i < 5; i++) await createAndDelete()
const sequentialTime = (performance.now() - start) / 1000

// Concurrent
start = performance.now()
await Promise.all(Array.from({ length: 5 }, () => createAndDelete()))
const concurrentTime = (performance.now() - start) / 1000

console.log(`Sequential: ${sequentialTime.toFixed(2)}s`)
console.log(`Concurrent: ${concurrentTime.toFixed(2)}s`)
console.log(`Speedup: ${(sequentialTime / concurrentTime).toFixed(2)}x`)
console.log(`live sessions: ${(await agentBay.list()).totalCount}`)
