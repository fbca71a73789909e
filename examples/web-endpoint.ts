/**
 * Twin of the guide's "When to Use Async API > Web Applications" (Example:
 * FastAPI Endpoint), with the Promise client and `node:http`: POST /execute
 * with a JSON body `{ code, language }`. One client serves every request.
 *
 * To be runnable on its own, the example starts the server on a free port,
 * sends itself two requests with `fetch`, prints the answers, and closes
 * the server and the client. Run: npx tsx examples/web-endpoint.ts
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import { AsyncAgentBay, CreateSessionParams } from "effect-agentbay"

const agentBay = new AsyncAgentBay()

interface ExecuteResponse {
  readonly success: boolean
  readonly result: string
}

const executeCode = async (code: string, language = "python"): Promise<ExecuteResponse> => {
  const created = await agentBay.create(CreateSessionParams({ imageId: "code_latest" }))
  if (!created.success) return { success: false, result: created.errorMessage }
  const session = created.session
  try {
    const result = await session.code.runCode(code, language)
    return { success: result.success, result: result.success ? result.result : result.errorMessage }
  } finally {
    await agentBay.delete(session)
  }
}

const readJson = async (request: IncomingMessage): Promise<unknown> => {
  const chunks: Array<Buffer> = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  return JSON.parse(Buffer.concat(chunks).toString("utf8"))
}

const isExecuteBody = (body: unknown): body is { readonly code: string; readonly language?: string } =>
  typeof body === "object" && body !== null && "code" in body && typeof body.code === "string" &&
  (!("language" in body) || typeof body.language === "string")

const send = (response: ServerResponse, status: number, body: unknown): void => {
  response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body))
}

const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
  if (request.method !== "POST" || request.url !== "/execute") return send(response, 404, { error: "not found" })
  const body = await readJson(request).catch(() => undefined)
  if (!isExecuteBody(body)) return send(response, 400, { error: "expected a JSON body { code: string, language?: string }" })
  send(response, 200, await executeCode(body.code, body.language))
}

const server = createServer((request, response) => {
  handle(request, response).catch((error: unknown) => send(response, 500, { error: String(error) }))
})

// --- the example's own client side: start, call, stop ---
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
const { port } = server.address() as AddressInfo
console.log(`listening on http://127.0.0.1:${port}`)

const requests = [
  { code: "sum(range(10))", language: "python" },
  { code: "[1, 2, 3].map((x) => x * 2)", language: "javascript" }
]
// both requests are served at the same time, each in a session of its own
const answers = await Promise.all(
  requests.map(async (body) => {
    const response = await fetch(`http://127.0.0.1:${port}/execute`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body)
    })
    return `POST /execute ${body.language} -> ${response.status} ${await response.text()}`
  })
)
for (const answer of answers) console.log(answer)

await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())))
await agentBay.close()
console.log("server and client closed")
