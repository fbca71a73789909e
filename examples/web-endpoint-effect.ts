/**
 * Twin of the guide's "When to Use Async API > Web Applications" (Example:
 * FastAPI Endpoint), Effect-native: `@effect/platform`'s HttpRouter on
 * `@effect/platform-node`'s NodeHttpServer. The body is decoded with a
 * Schema (a bad one is a 400), the session is scoped to the request (deleted
 * however the handler ends), and the AgentBay errors are typed.
 *
 * To be runnable on its own, the example serves on a free port, sends itself
 * two requests, prints the answers, and closes the scope: server and
 * sandboxes go with it. Run: npx tsx examples/web-endpoint-effect.ts
 */
import { createServer } from "node:http"
import { FetchHttpClient, HttpClient, HttpClientRequest, HttpRouter, HttpServer, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import { Console, Effect, Layer, Schema } from "effect"
import { AgentBay } from "effect-agentbay/effect"

const ExecuteRequest = Schema.Struct({
  code: Schema.String,
  language: Schema.optionalWith(Schema.String, { default: () => "python" })
})

// POST /execute
const execute = Effect.gen(function*() {
  const { code, language } = yield* HttpServerRequest.schemaBodyJson(ExecuteRequest)
  const session = yield* AgentBay.session({ imageId: "code_latest" })
  const result = yield* session.code.runCode(code, language)
  return HttpServerResponse.unsafeJson({
    success: result.error === undefined,
    result: result.error === undefined ? result.result : `${result.error.name}: ${result.error.value}`
  })
}).pipe(
  Effect.scoped,
  Effect.catchTags({
    ParseError: (error) => Effect.succeed(HttpServerResponse.unsafeJson({ error: error.message }, { status: 400 })),
    RequestError: (error) => Effect.succeed(HttpServerResponse.unsafeJson({ error: error.message }, { status: 400 }))
  }),
  // what is left are AgentBay's typed errors (session creation, unsupported language, ...)
  Effect.catchAll((error) => Effect.succeed(HttpServerResponse.unsafeJson({ error: error._tag, message: error.message }, { status: 500 })))
)

const router = HttpRouter.empty.pipe(HttpRouter.post("/execute", execute))

const requests = [
  { code: "sum(range(10))", language: "python" },
  { code: "[1, 2, 3].map((x) => x * 2)", language: "javascript" }
]

const program = Effect.gen(function*() {
  yield* HttpServer.serveEffect()(router)
  const url = yield* HttpServer.addressFormattedWith((address) => Effect.succeed(address))
  yield* Console.log(`listening on ${url}`)

  const client = yield* HttpClient.HttpClient
  const answers = yield* Effect.forEach(
    requests,
    (body) =>
      Effect.gen(function*() {
        const response = yield* client.execute(HttpClientRequest.post(`${url}/execute`).pipe(HttpClientRequest.bodyUnsafeJson(body)))
        return `POST /execute ${body.language} -> ${response.status} ${yield* response.text}`
      }),
    { concurrency: "unbounded" }
  )
  for (const answer of answers) yield* Console.log(answer)
})

const MainLayer = Layer.mergeAll(
  NodeHttpServer.layer(() => createServer(), { port: 0, host: "127.0.0.1" }),
  FetchHttpClient.layer,
  AgentBay.layerLocal()
)

program.pipe(
  Effect.scoped,
  Effect.provide(MainLayer),
  Effect.andThen(Console.log("server closed")),
  Effect.catchAll((error) => Console.error(`failed: ${error.message}`).pipe(Effect.andThen(Effect.sync(() => process.exitCode = 1)))),
  Effect.runPromise
)
