/**
 * Twin of the guide's "Troubleshooting > Issue 2: Cannot call async function
 * from sync context". In TypeScript, calling an async function from sync
 * code starts it but gives a Promise, never the value: the sync code goes on
 * before the work is done. Await it from async code (an ES module may await
 * at top level, or use an async `main`), or, when the caller must stay
 * synchronous, use the blocking client. Run: npx tsx examples/async-from-sync.ts
 */
import { AgentBay, AsyncAgentBay } from "effect-agentbay"

const asyncAgentBay = new AsyncAgentBay()

async function myFunc(): Promise<string> {
  const created = await asyncAgentBay.create()
  if (!created.success) throw new Error(created.errorMessage)
  await using session = created.session
  const result = await session.code.runCode("print('from async code')", "python")
  return result.success ? result.result.trim() : result.errorMessage
}

// Wrong: a synchronous caller treats the Promise as the value
const events: Array<string> = []
function syncCaller(): Promise<string> {
  const result = myFunc() // This doesn't give the result
  events.push(`sync caller got ${String(result)} and returned before the work was done`)
  return result
}
const pending = syncCaller()
const value = await pending // (someone must still await it, or its failure goes unnoticed)
events.push(`the value arrived later: ${value}`)
for (const event of events) console.log(`Wrong: ${event}`)

// Correct: top-level await (this file is an ES module) ...
console.log(`Correct (top-level await): ${await myFunc()}`)

// ... or an async main, called once
async function main(): Promise<void> {
  console.log(`Correct (async main): ${await myFunc()}`)
}
await main().catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})

// ... or, if the caller must stay synchronous, the blocking client
function syncWithBlockingClient(): string {
  const agentBay = new AgentBay()
  const created = agentBay.create()
  if (!created.success) throw new Error(created.errorMessage)
  using session = created.session
  const result = session.code.runCode("print('from sync code')", "python")
  return result.success ? result.result.trim() : result.errorMessage
}
console.log(`Correct (blocking client, no await): ${syncWithBlockingClient()}`)
