/**
 * Twin of the guide's "Troubleshooting > Issue 1: coroutine was never
 * awaited". In TypeScript a forgotten `await` hands you a Promise instead of
 * the result; the type checker catches most of these (as below), and the
 * lint rule `@typescript-eslint/no-floating-promises` catches the rest. With
 * the blocking client there is nothing to await.
 * Run: npx tsx examples/forgotten-await.ts
 */
import { AgentBayError, AsyncAgentBay } from "effect-agentbay"

const agentBay = new AsyncAgentBay()
const created = await agentBay.create()
if (!created.success) throw new AgentBayError(created.errorMessage, created.failure)
await using session = created.session

// Wrong: missing await
const wrong = session.code.runCode("print('hello')", "python")
// @ts-expect-error -- TypeScript: Property 'success' does not exist on type 'Promise<...>'
const success: unknown = wrong.success
console.log(`Wrong: got ${wrong instanceof Promise ? "a Promise" : typeof wrong}; its .success is ${String(success)}`)
await wrong // let it settle before the session goes (a Promise nobody awaits can fail unnoticed)

// Correct
const right = await session.code.runCode("print('hello')", "python")
console.log(`Correct: success ${right.success}, result ${JSON.stringify(right.result)}`)
