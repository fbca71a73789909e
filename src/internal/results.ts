/**
 * AgentBay-style results of the Promise and blocking doors, from the exit
 * of an operation: `{ requestId, success, errorMessage, ...data }`, or
 * `{ requestId, success: false, errorMessage, failure }` with the typed error.
 * Bad arguments throw, as in AgentBay's SDKs.
 *
 * @internal
 */
import * as crypto from "node:crypto"
import * as Cause from "effect/Cause"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import type { AgentBayError as TypedError, InvalidArgumentError } from "../AgentBayError.js"
import { AgentBayError, CommandError, FileError, SessionError } from "../Exceptions.js"
import type { Method, PoolInfo } from "../Operation.js"
import type { SessionInfo } from "../Session.js"

/** Turns success values into the door's own session and pool objects. */
export interface Hydrate {
  readonly session: (info: SessionInfo) => unknown
  readonly pool: (info: PoolInfo) => unknown
}

/** The exception AgentBay throws for bad arguments to a method of `method.group`. */
export const argumentException = (method: Method, error: InvalidArgumentError): AgentBayError => {
  const Exception = method.group === "fileSystem"
    ? FileError
    : method.group === "command" || method.group === "code"
    ? CommandError
    : SessionError
  return new Exception(error.message, error)
}

const requestId = (): string => `local-${crypto.randomUUID()}`

/** The result of a call. Throws for bad arguments and for defects (bugs). */
export const toResult = (method: Method, exit: Exit.Exit<unknown, unknown>, hydrate: Hydrate): Record<string, unknown> => {
  if (Exit.isSuccess(exit)) {
    const value = exit.value
    const shown = method.returns === undefined ? value : hydrate[method.returns](value as any)
    const verdict = method.verdict?.(value) ?? { success: true, errorMessage: "" }
    return { requestId: requestId(), ...verdict, ...method.data(shown) }
  }
  const failure = Cause.failureOption(exit.cause)
  if (Option.isSome(failure)) {
    const error = failure.value as TypedError
    if (error._tag === "InvalidArgumentError") throw argumentException(method, error)
    return { requestId: requestId(), success: false, errorMessage: error.message, failure: error }
  }
  throw Cause.squash(exit.cause)
}
