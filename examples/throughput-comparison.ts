/**
 * Twin of the guide's "Performance Considerations > Throughput Comparison":
 * 10 tasks (create, run, delete), sequentially with the blocking client, then
 * concurrently with the Promise client. Both clients are warmed up first
 * (the blocking one starts its worker thread on first use).
 * Run: npx tsx examples/throughput-comparison.ts
 */
import { AgentBay, AgentBayError, AsyncAgentBay, CreateSessionParams } from "effect-agentbay"

const TASKS = 10
const seconds = (since: number) => (performance.now() - since) / 1000

// Blocking API (sequential)
const agentBay = new AgentBay()
agentBay.list()
let started = performance.now()
const sequential: Array<string> = []
for (let i = 0; i < TASKS; i++) {
  const created = agentBay.create(CreateSessionParams({ imageId: "code_latest" }))
  if (!created.success) throw new AgentBayError(created.errorMessage, created.failure)
  const session = created.session
  try {
    const result = session.code.runCode(`print('Task ${i}')`, "python")
    sequential.push(result.success ? result.result.trim() : result.errorMessage)
  } finally {
    agentBay.delete(session)
  }
}
const sequentialTime = seconds(started)
console.log(`blocking, sequential: ${TASKS} tasks in ${sequentialTime.toFixed(2)} s -> ${sequential.join(", ")}`)

// Promise API (concurrent)
const asyncAgentBay = new AsyncAgentBay()
await asyncAgentBay.list()
const runTask = async (i: number): Promise<string> => {
  const created = await asyncAgentBay.create(CreateSessionParams({ imageId: "code_latest" }))
  if (!created.success) throw new AgentBayError(created.errorMessage, created.failure)
  await using session = created.session
  const result = await session.code.runCode(`print('Task ${i}')`, "python")
  return result.success ? result.result.trim() : result.errorMessage
}
started = performance.now()
const concurrent = await Promise.all(Array.from({ length: TASKS }, (_, i) => runTask(i)))
const concurrentTime = seconds(started)
console.log(`Promise, concurrent: ${TASKS} tasks in ${concurrentTime.toFixed(2)} s -> ${concurrent.join(", ")}`)
console.log(`speedup: ${(sequentialTime / concurrentTime).toFixed(2)}x`)
await asyncAgentBay.close()
