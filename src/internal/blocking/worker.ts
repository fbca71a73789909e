/**
 * The worker of the blocking client: owns the engine, runs each request's
 * effect on its own fiber, and posts back the encoded `Exit` (success or typed
 * failure, through the operation table's schemas), then bumps a shared cell
 * and notifies the main thread blocked in `Atomics.wait`.
 *
 * @internal
 */
import { type MessagePort, workerData } from "node:worker_threads"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Schema from "effect/Schema"
import * as AgentBay from "../../AgentBay.js"
import * as LocalBackend from "../../LocalBackend.js"
import * as Operation from "../../Operation.js"
import { killAllSessionsNow } from "../local/backend.js"
import { Cell, HEARTBEAT_MS, State, type ToMain, type ToWorker } from "./protocol.js"

const { port, control } = workerData as { port: MessagePort; control: SharedArrayBuffer }
const cells = new Int32Array(control)

const post = (message: ToMain, transfer: Array<ArrayBuffer> = []): void => {
  port.postMessage(message, transfer)
  Atomics.add(cells, Cell.Posted, 1)
  Atomics.notify(cells, Cell.Posted)
}

const start = (): void => {
  const clients = new Map<number, AgentBay.Service>()
  const running = new Map<number, Fiber.RuntimeFiber<unknown, unknown>>()
  const decodeRequest = (encoded: unknown): Operation.Request => {
    const tag = (encoded as { readonly _tag?: unknown } | null)?._tag
    const codec = typeof tag === "string" ? Operation.requestCodecOf(tag) : undefined
    if (codec === undefined) throw new Error(`unknown operation ${String(tag)}`)
    return codec.decode(encoded)
  }

  const run = (id: number, client: number, encoded: unknown): void => {
    const service = clients.get(client)
    let request: Operation.Request
    try {
      if (service === undefined) throw new Error(`unknown client ${client}`)
      request = decodeRequest(encoded)
    } catch (error) {
      const exit = Exit.die(error)
      post({ kind: "exit", id, exit: Schema.encodeSync(Schema.Exit({ success: Schema.Unknown, failure: Schema.Never, defect: Schema.Defect }))(exit) })
      return
    }
    const reply = (exit: Exit.Exit<unknown, unknown>) =>
      Effect.sync(() => {
        running.delete(id)
        const encoded = Operation.exitCodecOf(request).encode(exit) as { _tag: string; value?: unknown }
        // bytes move to the main thread instead of being copied (they are ours: fresh arrays)
        const value = encoded._tag === "Success" ? encoded.value : undefined
        const transfer = value instanceof Uint8Array && value.byteOffset === 0 && value.byteLength === value.buffer.byteLength
          ? [value.buffer as ArrayBuffer]
          : []
        post({ kind: "exit", id, exit: encoded }, transfer)
      })
    // the reply leaves from inside the fiber, before its teardown, so the caller wakes as early as possible
    running.set(id, Effect.runFork(Effect.onExit(service.execute(request) as Effect.Effect<unknown, unknown>, reply)))
  }

  port.on("message", (message: ToWorker) => {
    switch (message.kind) {
      case "client": {
        const options = (message.options ?? {}) as AgentBay.Options & LocalBackend.Options
        clients.set(message.client, AgentBay.makeWith(LocalBackend.make(options), options))
        return
      }
      case "op":
        return run(message.id, message.client, message.request)
      case "cancel": {
        const fiber = running.get(message.id)
        // interrupt, so that finalizers run (the sandbox kills what the call started)
        if (fiber !== undefined) Effect.runFork(Fiber.interrupt(fiber))
        return
      }
      case "shutdown": {
        // the process is exiting: no fiber will run again, so kill synchronously
        killAllSessionsNow()
        post({ kind: "stopped", id: message.id })
        return
      }
    }
  })
  setInterval(() => Atomics.add(cells, Cell.Heartbeat, 1), HEARTBEAT_MS)
  Atomics.store(cells, Cell.State, State.Ready)
  Atomics.add(cells, Cell.Posted, 1)
  Atomics.notify(cells, Cell.Posted)
}

try {
  start()
} catch (error) {
  post({ kind: "failed", id: 0, message: error instanceof Error ? error.stack ?? error.message : String(error) })
  Atomics.store(cells, Cell.State, State.Failed)
  Atomics.notify(cells, Cell.Posted)
}
