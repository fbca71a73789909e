/**
 * effect-agentbay: AgentBay agent sandboxes for TypeScript, built on Effect.
 *
 * The Effect API lives at `effect-agentbay/effect`.
 *
 * @since 0.1.0
 */
export * from "./AgentBayError.js"
