/**
 * Twin of the guide's "Best Practices > Sync API > 2. Handle Errors
 * Gracefully". As in AgentBay's SDKs, a failed operation is a result with
 * `success: false` (and, here, the typed `failure` with its `_tag`), while a
 * bad argument throws an `AgentBayError` subclass. Check `success`, and catch
 * `AgentBayError` around the whole. Run: npx tsx examples/sync-error-handling.ts
 */
import { AgentBay, AgentBayError, type Session } from "effect-agentbay"

const agentBay = new AgentBay()
let session: Session | undefined

try {
  const created = agentBay.create()
  if (!created.success) throw new AgentBayError(created.errorMessage, created.failure)
  session = created.session

  // Failures are results: check `success`
  const result = session.code.runCode("1 / 0", "python")
  if (!result.success) console.log(`Execution failed: ${result.errorMessage}`)

  const command = session.command.executeCommand("echo oops >&2; exit 3")
  if (!command.success) console.log(`Command failed: exit code ${command.exitCode}, ${JSON.stringify(command.errorMessage)}`)

  const missing = session.fileSystem.readFile("/tmp/missing.txt")
  if (!missing.success) console.log(`Read failed: ${missing.failure?._tag}: ${missing.errorMessage}`)

  const ruby = session.code.runCode("puts 1", "ruby")
  if (!ruby.success) console.log(`Run failed (${ruby.failure?._tag}): ${ruby.errorMessage}`)

  // A bad argument throws (here: an empty path), like AgentBay's SDKs
  session.fileSystem.readFile("")
  console.log("not reached")
} catch (error) {
  if (error instanceof AgentBayError) {
    console.log(`AgentBay error: ${error.name} (an AgentBayError): ${error.message} [${error.failure?._tag}]`)
  } else {
    console.log(`Unexpected error: ${String(error)}`)
  }
} finally {
  if (session !== undefined) {
    agentBay.delete(session)
    console.log("session deleted")
  }
}
