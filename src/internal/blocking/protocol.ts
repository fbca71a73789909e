/**
 * Messages and shared cells between the blocking client (main thread) and
 * its worker.
 *
 * @internal
 */

/** Int32 cells of the shared control buffer. */
export const Cell = {
  /** Incremented by the worker after each message it posts. */
  Posted: 0,
  /** Worker state: see `State`. */
  State: 1,
  /** Incremented by the worker every `HEARTBEAT_MS` while its event loop runs. */
  Heartbeat: 2
} as const

export const State = { Starting: 0, Ready: 1, Failed: 2 } as const

export const HEARTBEAT_MS = 100
export const CELLS = 4

/** Main → worker. */
export type ToWorker =
  | { readonly kind: "client"; readonly client: number; readonly options: unknown }
  | { readonly kind: "op"; readonly id: number; readonly client: number; readonly request: unknown }
  | { readonly kind: "cancel"; readonly id: number }
  | { readonly kind: "shutdown"; readonly id: number }

/** Worker → main. */
export type ToMain =
  | { readonly kind: "exit"; readonly id: number; readonly exit: unknown }
  | { readonly kind: "stopped"; readonly id: number }
  | { readonly kind: "failed"; readonly id: 0; readonly message: string }
