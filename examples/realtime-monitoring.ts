/**
 * Twin of the guide's "When to Use Async API > Real-Time Systems" (Example:
 * Real-Time Monitoring): three monitors poll their session with `get`
 * concurrently. The guide's monitors would run forever; here the main task
 * deletes the sessions one after another, so each monitor sees its session
 * terminated and ends. Polling every 200 ms instead of 5 s keeps it short.
 * Run: npx tsx examples/realtime-monitoring.ts
 */
import { setTimeout as sleep } from "node:timers/promises"
import { AgentBayError, AsyncAgentBay, CreateSessionParams } from "effect-agentbay"

/** Monitors a session's status until it is gone; returns how many checks it made. */
const monitorSession = async (sessionId: string, agentBay: AsyncAgentBay): Promise<number> => {
  for (let checks = 1; ; checks++) {
    // Check session status (non-blocking)
    const info = await agentBay.get(sessionId)
    if (info.success) {
      console.log(`Session ${sessionId}: Active`)
    } else {
      console.log(`Session ${sessionId}: Terminated (${info.failure?._tag ?? info.errorMessage})`)
      return checks
    }
    // Wait before next check (allows other tasks to run)
    await sleep(200)
  }
}

const agentBay = new AsyncAgentBay()

// Create multiple sessions
const sessionIds: Array<string> = []
for (let i = 0; i < 3; i++) {
  const result = await agentBay.create(CreateSessionParams({ imageId: "code_latest" }))
  if (!result.success) throw new AgentBayError(result.errorMessage, result.failure)
  sessionIds.push(result.session.sessionId)
}

// Delete them one after another, while the monitors watch
const deleteAll = async (): Promise<void> => {
  for (const sessionId of sessionIds) {
    await sleep(500)
    console.log(`Deleting ${sessionId}`)
    await agentBay.delete(sessionId)
  }
}

// Monitor all sessions concurrently
const [checks] = await Promise.all([
  Promise.all(sessionIds.map((sessionId) => monitorSession(sessionId, agentBay))),
  deleteAll()
])
console.log(`All monitors ended after ${checks.join(", ")} checks`)
