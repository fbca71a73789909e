/**
 * Twin of the guide's "Best Practices > Async API > 1. Use asyncio.gather
 * for Concurrent Operations": `Promise.all` creates three sessions at once,
 * and deletes the ones that were created at once.
 * Run: npx tsx examples/async-gather.ts
 */
import { AsyncAgentBay } from "effect-agentbay"

const agentBay = new AsyncAgentBay()
const labels = { example: "async-gather" }

// Create multiple sessions concurrently
let started = performance.now()
const results = await Promise.all(Array.from({ length: 3 }, () => agentBay.create({ labels })))
const sessions = results.flatMap((result) => (result.success ? [result.session] : []))
console.log(`created ${sessions.length} of ${results.length} sessions concurrently in ${(performance.now() - started).toFixed(0)} ms`)

try {
  // Use sessions... (concurrently too)
  const outputs = await Promise.all(sessions.map((session, i) => session.code.runCode(`${i} * 10`, "python")))
  console.log(`results: ${outputs.map((output) => (output.success ? output.result : output.errorMessage)).join(", ")}`)
  console.log(`live sessions labelled example=async-gather: ${(await agentBay.list({ labels })).totalCount}`)
} finally {
  // Clean up concurrently
  started = performance.now()
  await Promise.all(sessions.map((session) => agentBay.delete(session)))
  console.log(`deleted ${sessions.length} sessions concurrently in ${(performance.now() - started).toFixed(0)} ms`)
}
console.log(`live sessions labelled example=async-gather: ${(await agentBay.list({ labels })).totalCount}`)
