/**
 * Twin of the guide's "Best Practices > Sync API > 1. Use Context Managers
 * (When Available)": try/finally always deletes the session, even when the
 * work in between throws. TypeScript has the context manager too: `using`.
 * Run: npx tsx examples/sync-cleanup.ts
 */
import { AgentBay } from "effect-agentbay"

const agentBay = new AgentBay()

const gone = (sessionId: string): string => {
  const found = agentBay.get(sessionId)
  return found.success ? "still alive" : `deleted (get -> ${found.failure?._tag})`
}

// try/finally, as in the guide
const created = agentBay.create()
if (!created.success) throw new Error(created.errorMessage)
const session = created.session
try {
  try {
    // Your operations
    const result = session.code.runCode("print('working')", "python")
    console.log(`try/finally: ran code -> ${result.success ? result.result.trim() : result.errorMessage}`)
    throw new Error("something failed half-way")
  } finally {
    // Always clean up
    agentBay.delete(session)
  }
} catch (error) {
  console.log(`try/finally: caught "${error instanceof Error ? error.message : String(error)}"; session ${gone(session.sessionId)}`)
}

// `using`: the session is deleted when the block ends, however it ends
let usingId = ""
try {
  const result = agentBay.create()
  if (!result.success) throw new Error(result.errorMessage)
  using scoped = result.session
  usingId = scoped.sessionId
  const ran = scoped.code.runCode("print('working')", "python")
  console.log(`using: ran code -> ${ran.success ? ran.result.trim() : ran.errorMessage}`)
  throw new Error("something failed half-way")
} catch (error) {
  console.log(`using: caught "${error instanceof Error ? error.message : String(error)}"; session ${gone(usingId)}`)
}
