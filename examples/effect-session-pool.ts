/**
 * Effect-native twin of the guide's "Pattern 1: Session Pool": `SessionPool.make`
 * pre-creates the sessions and lives as long as its scope; `pool.use` lends a
 * session to an effect (waiting while all are busy) and takes it back.
 * Run: npx tsx examples/effect-session-pool.ts
 */
import { Console, Effect } from "effect"
import { AgentBay, SessionPool } from "effect-agentbay/effect"

const program = Effect.gen(function*() {
  const bay = yield* AgentBay.AgentBay
  const served = new Set<string>()

  const results = yield* Effect.gen(function*() {
    const pool = yield* SessionPool.make({ size: 3, params: { imageId: "code_latest" } })
    yield* Console.log(`pool of ${pool.size} sessions ready; live sessions: ${(yield* bay.list()).totalCount}`)
    return yield* Effect.forEach(
      Array.from({ length: 10 }, (_, i) => i),
      (i) =>
        pool.use((session) => {
          served.add(session.sessionId)
          return session.code.runCode(`print(${i})`, "python")
        }),
      { concurrency: 5 } // more tasks than sessions: the extra ones wait for a free session
    )
  }).pipe(Effect.scoped) // closing the scope deletes the pool's sessions

  yield* Console.log(`results: ${results.map((result) => result.result.trim()).join(" ")} (served by ${served.size} sessions)`)
  yield* Console.log(`live sessions after the scope: ${(yield* bay.list()).totalCount}`)
})

program.pipe(
  Effect.provide(AgentBay.layerLocal()),
  Effect.catchAll((error) => Console.error(`failed: ${error.message}`).pipe(Effect.andThen(Effect.sync(() => process.exitCode = 1)))),
  Effect.runPromise
)
