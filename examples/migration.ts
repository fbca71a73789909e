/**
 * Twin of the guide's "Migration Guide": the same function with the blocking
 * client (before) and the Promise client (after). The steps carry over:
 * change the import, add `async`/`await`, await the call (or `.then` it
 * where you cannot await). The reverse is the same steps backwards.
 * Run: npx tsx examples/migration.ts
 */
// Step 1: change imports
import { AgentBay } from "effect-agentbay" // before
import { AsyncAgentBay } from "effect-agentbay" // after

const CODE = "sum(range(1, 11))"

// Step 2: add async/await
// Before (blocking)
function myFunction(): string {
  const agentBay = new AgentBay()
  const created = agentBay.create()
  if (!created.success) throw new Error(created.errorMessage)
  const session = created.session
  const result = session.code.runCode(CODE, "python")
  agentBay.delete(session)
  return result.success ? result.result : result.errorMessage
}

// After (Promise)
async function myFunctionAsync(): Promise<string> {
  await using agentBay = new AsyncAgentBay() // closed when the function returns
  const created = await agentBay.create()
  if (!created.success) throw new Error(created.errorMessage)
  const session = created.session
  const result = await session.code.runCode(CODE, "python")
  await agentBay.delete(session)
  return result.success ? result.result : result.errorMessage
}

// Step 3: update function calls
// Before (blocking)
const before = myFunction()
console.log(`before (blocking client): ${CODE} = ${before}`)

// After (Promise): await it (top-level await works in an ES module) ...
const after = await myFunctionAsync()
console.log(`after (Promise client):   ${CODE} = ${after}`)

// ... or, from code that cannot await, hand it a callback
await myFunctionAsync().then((result) => console.log(`after, via .then:         ${CODE} = ${result}`))

console.log(`same result: ${before === after}`)
