/**
 * Twin of the guide's "Best Practices > Async API > 2. Handle Timeouts".
 * `asyncio.wait_for` becomes an `AbortSignal` (`AbortSignal.timeout(ms)`, or
 * your own `AbortController`): the call rejects with the signal's reason and
 * what it started in the sandbox is killed. Or give the call its own limit,
 * `timeoutMs`: the result then says it timed out. Either way the session
 * lives on. (A bare `Promise.race` against a timer would stop waiting but
 * leave the code running.) Run: npx tsx examples/async-timeouts.ts
 */
import { setTimeout as sleep } from "node:timers/promises"
import { AgentBayError, AsyncAgentBay, type AsyncSession } from "effect-agentbay"

const SLOW = "import time; time.sleep(100)"

/** How many python processes run in the session right now (zombies aside). */
const pythons = async (session: AsyncSession): Promise<number> => {
  const ps = await session.command.executeCommand("ps -eo stat=,comm=")
  if (!ps.success) throw new Error(ps.errorMessage)
  return ps.stdout.split("\n").filter((line) => /^[^Z]\S*\s+python/.test(line.trim())).length
}

const agentBay = new AsyncAgentBay()
const created = await agentBay.create()
if (!created.success) throw new AgentBayError(created.errorMessage, created.failure)
await using session = created.session

// 1. An AbortSignal: the call rejects when it fires, and the code is killed
let started = performance.now()
const aborted = session.code.runCode(SLOW, "python", { signal: AbortSignal.timeout(1_000) })
await sleep(300)
console.log(`signal: python processes while running: ${await pythons(session)}`)
try {
  await aborted
  console.log("signal: finished (not expected)")
} catch (error) {
  const name = error instanceof Error ? error.name : String(error)
  console.log(`signal: Operation timed out (${name}) after ${((performance.now() - started) / 1000).toFixed(1)} s`)
}
console.log(`signal: python processes after the timeout: ${await pythons(session)}`)

// 2. The call's own limit: the result says it timed out
started = performance.now()
const limited = await session.code.runCode(SLOW, "python", { timeoutMs: 1_000 })
console.log(`timeoutMs: success ${limited.success}, ${limited.errorMessage} (after ${((performance.now() - started) / 1000).toFixed(1)} s)`)
console.log(`timeoutMs: python processes after the timeout: ${await pythons(session)}`)

const command = await session.command.executeCommand("sleep 100", { timeoutMs: 500 })
console.log(`command timeoutMs: timedOut ${command.timedOut}, exitCode ${command.exitCode}`)

// The session is still usable
const after = await session.command.executeCommand("echo still alive")
console.log(`session afterwards: ${after.success ? after.output.trim() : after.errorMessage}`)
