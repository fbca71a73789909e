/**
 * Effect-native twin of the guide's "Handle Timeouts" and "Pattern 3: Retry
 * with Exponential Backoff", plus typed error handling:
 * 1. a call's own limit (`timeoutMs`): the code is killed, the result says so;
 * 2. `Effect.timeout`: interrupting a call kills what it started;
 * 3. retries: the client's `retry` option, or `Effect.retry` with a Schedule
 *    and the errors' own `retryable`;
 * 4. `Effect.catchTag` on the typed errors.
 * Run: npx tsx examples/effect-timeouts-retry.ts
 */
import { Console, Duration, Effect, Fiber, Schedule } from "effect"
import { AgentBay, type Session } from "effect-agentbay/effect"

/** The processes named `name` running in the session (zombies aside). */
const running = (session: Session.Session, name: string) =>
  Effect.map(
    session.command.executeCommand("ps -eo stat=,comm="),
    (ps) => ps.stdout.split("\n").filter((line) => new RegExp(`^[^Z]\\S*\\s+${name}`).test(line.trim())).length
  )

const timeouts = Effect.gen(function*() {
  const session = yield* AgentBay.session()

  // 1. The call's own limit
  const limited = yield* session.code.runCode("import time; time.sleep(100)", "python", { timeoutMs: 500 })
  yield* Console.log(`timeoutMs: error ${limited.error?.name} (${limited.error?.value}); python processes left: ${yield* running(session, "python")}`)

  // 2. Effect.timeout: the command is interrupted, and killed in the sandbox
  const timedOut = yield* session.command.executeCommand("sleep 100").pipe(
    Effect.timeout("500 millis"),
    Effect.catchTag("TimeoutException", () => Effect.succeed("interrupted by Effect.timeout"))
  )
  yield* Console.log(`Effect.timeout: ${typeof timedOut === "string" ? timedOut : "finished (not expected)"}; sleep processes left: ${yield* running(session, "sleep")}`)

  // 4. Typed errors, caught by tag
  const missing = yield* session.fileSystem.readFile("/tmp/missing.txt").pipe(
    Effect.catchTag("FileNotFoundError", (error) => Effect.succeed(`FileNotFoundError for ${error.path}`))
  )
  const outside = yield* session.fileSystem.readFile("/etc/shadow").pipe(
    Effect.catchTag("PathOutsideWorkspaceError", (error) => Effect.succeed(`PathOutsideWorkspaceError (allowed: ${error.allowed.join(", ")})`))
  )
  const ruby = yield* session.code.runCode("puts 1", "ruby").pipe(
    Effect.map((result) => result.result),
    Effect.catchTag("UnsupportedLanguageError", (error) => Effect.succeed(`UnsupportedLanguageError for ${error.language}`))
  )
  yield* Console.log(`catchTag: ${missing}; ${outside}; ${ruby}`)
}).pipe(Effect.scoped, Effect.provide(AgentBay.layerLocal()))

/** One live session allowed, held by a session deleted after `holdMs`; then `create` again. */
const createWhileBusy = <E>(holdMs: number, create: (bay: AgentBay.Service) => Effect.Effect<Session.Session, E>) =>
  Effect.gen(function*() {
    const bay = yield* AgentBay.AgentBay
    const holder = yield* bay.create()
    const release = yield* Effect.fork(Effect.delay(holder.delete(), Duration.millis(holdMs)))
    const [elapsed, session] = yield* Effect.timed(create(bay))
    yield* Fiber.join(release)
    yield* session.delete()
    return `created ${session.sessionId} after ${Duration.toMillis(elapsed).toFixed(0)} ms`
  })

// 3a. The client's retry option (on by default; here more patient)
const retryOption = createWhileBusy(300, (bay) => bay.create()).pipe(
  Effect.provide(AgentBay.layerLocal({ maxSessions: 1, retry: { times: 5, baseDelayMs: 100, maxDelayMs: 1_000 } }))
)

// 3b. Effect.retry, with the client's own retries off: retry only what says it is retryable
const effectRetry = createWhileBusy(300, (bay) =>
  bay.create().pipe(
    Effect.tapError((error) => Console.log(`  attempt failed: ${error._tag} (retryable: ${error.retryable})`)),
    Effect.retry({ schedule: Schedule.exponential("100 millis"), times: 5, while: (error) => error.retryable })
  )).pipe(Effect.provide(AgentBay.layerLocal({ maxSessions: 1, retry: false })))

const program = Effect.gen(function*() {
  yield* timeouts
  yield* Console.log(`retry option: ${yield* retryOption}`)
  yield* Console.log("Effect.retry:")
  yield* Console.log(`Effect.retry: ${yield* effectRetry}`)
})

program.pipe(
  Effect.catchAll((error) => Console.error(`failed: ${String(error)}`).pipe(Effect.andThen(Effect.sync(() => process.exitCode = 1)))),
  Effect.runPromise
)
