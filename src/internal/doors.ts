/**
 * Builds a door's client and session objects by walking the operation table:
 * every method of every door comes from here, none is written by hand.
 *
 * @internal
 */
import { type Method, methods } from "../Operation.js"

/** How a door runs one method call. */
export type Invoke = (method: Method, args: ReadonlyArray<unknown>, sessionId: string) => unknown

/** The session methods (`info`, `command.executeCommand`, `fileSystem.readFile`, ...) of one session. */
export const sessionMethods = (sessionId: string, invoke: Invoke): Record<string, any> => {
  const session: Record<string, any> = { command: {}, code: {}, fileSystem: {} }
  for (const method of methods) {
    if (method.group === "client" || method.group === "pool") continue
    const fn = (...args: ReadonlyArray<unknown>) => invoke(method, args, sessionId)
    if (method.group === "session") session[method.name] = fn
    else session[method.group][method.name] = fn
  }
  return session
}

/** The pool methods (`acquire`, `release`, `close`) of one pool. */
export const poolMethods = (poolId: string, invoke: Invoke): Record<string, any> => {
  const pool: Record<string, any> = {}
  for (const method of methods) {
    if (method.group === "pool") pool[method.name] = (...args: ReadonlyArray<unknown>) => invoke(method, args, poolId)
  }
  return pool
}

/** The client methods (`create`, `get`, `list`, `delete`). */
export const clientMethods = (invoke: Invoke): Record<string, (...args: ReadonlyArray<unknown>) => unknown> => {
  const client: Record<string, (...args: ReadonlyArray<unknown>) => unknown> = {}
  for (const method of methods) {
    if (method.group === "client") client[method.name] = (...args) => invoke(method, args, "")
  }
  return client
}

/** The call options (`timeoutMs`, `signal`) of a call, if given. */
export const callOptions = (method: Method, args: ReadonlyArray<unknown>): { readonly signal?: AbortSignal } => {
  const options = args[method.optionsAt]
  return typeof options === "object" && options !== null ? options as { signal?: AbortSignal } : {}
}
