/**
 * Twin of the guide's "Best Practices > Sync API > 3. Reuse Sessions": one
 * session for many operations, instead of one session each.
 * Run: npx tsx examples/sync-reuse-sessions.ts
 */
import { AgentBay } from "effect-agentbay"

const agentBay = new AgentBay()
const created = agentBay.create()
if (!created.success) throw new Error(created.errorMessage)
const session = created.session

try {
  // Reuse session for multiple operations
  const started = performance.now()
  for (let i = 0; i < 10; i++) {
    const result = session.code.runCode(`print(${i})`, "python")
    console.log(result.success ? result.result.trimEnd() : result.errorMessage)
  }
  console.log(`10 runs in one session (${session.sessionId}) in ${((performance.now() - started) / 1000).toFixed(2)} s`)
} finally {
  agentBay.delete(session)
}
