/**
 * Twin of the guide's "Common Patterns > Pattern 3: Retry with Exponential
 * Backoff". To have something to retry, the client allows one live session
 * (`maxSessions: 1`) and a first session holds it for a moment: the next
 * `create` fails with a retryable `SessionCreationError` (LimitReached)
 * until the first one is deleted.
 *
 * First the guide's `retry_with_backoff`, by hand. Then the same without any
 * code: the client's `retry` option retries retryable failures with jittered
 * exponential backoff (it is on by default: 3 retries from 100 ms).
 * Run: npx tsx examples/retry-backoff.ts
 */
import { setTimeout as sleep } from "node:timers/promises"
import { AgentBayError, AsyncAgentBay, type AsyncSession, type ClientOptions, CreateSessionParams } from "effect-agentbay"

const retryWithBackoff = async <A>(fn: () => Promise<A>, maxRetries = 3, baseDelayMs = 1_000): Promise<A> => {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn()
    } catch (error) {
      if (attempt === maxRetries - 1) throw error
      const delay = baseDelayMs * 2 ** attempt
      console.log(`Attempt ${attempt + 1} failed (${error instanceof Error ? error.message : String(error)}), retrying in ${delay} ms...`)
      await sleep(delay)
    }
  }
}

/**
 * A client allowing one live session, and a session holding it for `holdMs`:
 * `released` settles once that session is deleted.
 */
const busyClient = async (options: ClientOptions, holdMs: number) => {
  const agentBay = new AsyncAgentBay({ maxSessions: 1, ...options })
  const holder = await agentBay.create()
  if (!holder.success) throw new AgentBayError(holder.errorMessage, holder.failure)
  const released = sleep(holdMs).then(() => agentBay.delete(holder.session))
  return { agentBay, released }
}

/** The first clause of an error message. */
const headline = (message: string): string => message.split(":")[0] ?? message

// 1. By hand, as in the guide (the client's own retries turned off)
const createSessionWithRetry = async (agentBay: AsyncAgentBay): Promise<AsyncSession> => {
  const create = async () => {
    const result = await agentBay.create(CreateSessionParams({ imageId: "code_latest" }))
    if (!result.success) throw new AgentBayError(result.errorMessage, result.failure)
    return result.session
  }
  return retryWithBackoff(create, 3, 500)
}

{
  const { agentBay, released } = await busyClient({ retry: false }, 100)
  const session = await createSessionWithRetry(agentBay)
  console.log(`by hand: Session created: ${session.sessionId}`)
  await Promise.all([released, agentBay.delete(session)])
}

// 2. The client's retry option: create simply waits the failure out
{
  const { agentBay, released } = await busyClient({ retry: { times: 5, baseDelayMs: 100, maxDelayMs: 1_000 } }, 300)
  const started = performance.now()
  const result = await agentBay.create(CreateSessionParams({ imageId: "code_latest" }))
  console.log(`retry option: success ${result.success} after ${(performance.now() - started).toFixed(0)} ms of retries`)
  await released
  if (result.success) await agentBay.delete(result.session)
}

// Without retries the same create fails at once; non-retryable failures are never retried
{
  const { agentBay, released } = await busyClient({ retry: false }, 300)
  const refused = await agentBay.create()
  console.log(`no retry: success ${refused.success}, ${headline(refused.errorMessage)} (retryable: ${refused.failure?.retryable})`)
  await released
  const badImage = await agentBay.create(CreateSessionParams({ imageId: "no_such_image" }))
  console.log(`bad image: success ${badImage.success}, ${headline(badImage.errorMessage)} (retryable: ${badImage.failure?.retryable})`)
}
