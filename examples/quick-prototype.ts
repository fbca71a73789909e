/**
 * Twin of the guide's "When to Use Sync API > Learning and Prototyping"
 * (Example: Quick Prototype): top to bottom, no `await`, and the process
 * exits by itself. Run: npx tsx examples/quick-prototype.ts
 */
import { AgentBay } from "effect-agentbay"

// Simple and straightforward
const agentBay = new AgentBay()
const created = agentBay.create()
if (!created.success) throw new Error(created.errorMessage)
const session = created.session

// Execute command
const result = session.command.executeCommand("echo 'Hello World'")
console.log(result.success ? result.output.trimEnd() : `failed: ${result.errorMessage}`)

// Clean up
const deleted = agentBay.delete(session)
console.log(`deleted ${session.sessionId}: ${deleted.success}`)
