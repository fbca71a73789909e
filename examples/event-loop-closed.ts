/**
 * Twin of the guide's "Troubleshooting > Issue 4: Event loop is closed". The
 * analogue here: using a client after `close()` (which stops its runtime).
 * Such a call is rejected. Keep one client for the program's life and
 * close it at the end, or scope it with `await using`.
 * Run: npx tsx examples/event-loop-closed.ts
 */
import { AsyncAgentBay } from "effect-agentbay"

const myFunc = async (agentBay: AsyncAgentBay, label: string): Promise<string> => {
  const created = await agentBay.create()
  if (!created.success) throw new Error(created.errorMessage)
  await using session = created.session
  const result = await session.command.executeCommand(`echo ${label}`)
  return result.success ? result.output.trim() : result.errorMessage
}

const describe = (error: unknown): string => (error instanceof Error ? `${error.name}: ${error.message}` : `${typeof error} ${JSON.stringify(error)}`)

// Wrong: close the client, then use it again
const closed = new AsyncAgentBay()
console.log(`Wrong: first call -> ${await myFunc(closed, "first")}`)
await closed.close()
try {
  console.log(`Wrong: second call -> ${await myFunc(closed, "second")}`)
} catch (error) {
  console.log(`Wrong: second call after close() was rejected: ${describe(error)}`)
}

// Correct: one client for the program's life, closed at the end
const agentBay = new AsyncAgentBay()
console.log(`Correct: ${await myFunc(agentBay, "my_func")}`)
console.log(`Correct: ${await myFunc(agentBay, "another_func")}`)
await agentBay.close()

// Or scope the client: `await using` closes it when the block ends
{
  await using scoped = new AsyncAgentBay()
  console.log(`Correct (await using): ${await myFunc(scoped, "my_func")}, ${await myFunc(scoped, "another_func")}`)
}
