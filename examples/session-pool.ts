/**
 * Twin of the guide's "Common Patterns > Pattern 1: Session Pool (Sync)".
 * First the guide's class, written by hand for the blocking client (a plain
 * array is its queue: blocking code takes one session at a time). Then the
 * same with the client's built-in pool, which needs no class at all:
 * `createPool` makes the sessions up front, `use` lends one and takes it
 * back whatever happens, `using` (or `close`) deletes them all.
 * Run: npx tsx examples/session-pool.ts
 */
import { AgentBay, AgentBayError, type Session } from "effect-agentbay"

const agentBay = new AgentBay()

// By hand, as in the guide
class SessionPool {
  private readonly idle: Array<Session> = []

  constructor(readonly size = 5) {
    // Pre-create sessions
    for (let i = 0; i < size; i++) {
      const created = agentBay.create()
      if (!created.success) {
        this.cleanup()
        throw new AgentBayError(created.errorMessage, created.failure)
      }
      this.idle.push(created.session)
    }
  }

  execute(code: string, language = "python") {
    const session = this.idle.shift()
    if (session === undefined) throw new Error("no idle session")
    try {
      return { sessionId: session.sessionId, result: session.code.runCode(code, language) }
    } finally {
      this.idle.push(session)
    }
  }

  cleanup(): void {
    for (let session = this.idle.shift(); session !== undefined; session = this.idle.shift()) agentBay.delete(session)
  }
}

const pool = new SessionPool(3)
const byHand: Array<string> = []
const byHandSessions = new Set<string>()
try {
  for (let i = 0; i < 10; i++) {
    const { sessionId, result } = pool.execute(`print(${i})`)
    byHand.push(result.success ? result.result.trim() : result.errorMessage)
    byHandSessions.add(sessionId)
  }
} finally {
  pool.cleanup()
}
console.log(`hand-written pool: ${byHand.join(" ")} (served by ${byHandSessions.size} sessions)`)

// Built in: no class needed
const builtIn: Array<string> = []
const builtInSessions = new Set<string>()
{
  const created = agentBay.createPool({ size: 3 })
  if (!created.success) throw new AgentBayError(created.errorMessage, created.failure)
  using sessions = created.pool
  for (let i = 0; i < 10; i++) {
    const result = sessions.use((session) => {
      builtInSessions.add(session.sessionId)
      return session.code.runCode(`print(${i})`, "python")
    })
    builtIn.push(result.success ? result.result.trim() : result.errorMessage)
  }
}
console.log(`built-in pool:     ${builtIn.join(" ")} (served by ${builtInSessions.size} sessions)`)
console.log(`live sessions after cleanup: ${agentBay.list().totalCount}`)
