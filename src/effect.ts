/**
 * The Effect API of effect-agentbay: `import { AgentBay } from "effect-agentbay/effect"`.
 *
 * @since 0.1.0
 */

/**
 * @since 0.1.0
 */
export * as AgentBay from "./AgentBay.js"

/**
 * @since 0.1.0
 */
export * as AgentBayError from "./AgentBayError.js"

/**
 * @since 0.1.0
 */
export * as Api from "./Api.js"

/**
 * @since 0.1.0
 */
export * as Backend from "./Backend.js"

/**
 * @since 0.1.0
 */
export * as Code from "./Code.js"

/**
 * @since 0.1.0
 */
export * as Command from "./Command.js"

/**
 * @since 0.1.0
 */
export * as FileSystem from "./FileSystem.js"

/**
 * @since 0.1.0
 */
export * as LocalBackend from "./LocalBackend.js"

/**
 * @since 0.1.0
 */
export * as Operation from "./Operation.js"

/**
 * @since 0.1.0
 */
export * as Session from "./Session.js"

/**
 * @since 0.1.0
 */
export * as SessionPool from "./SessionPool.js"

/**
 * @since 0.1.0
 */
export * as Doctor from "./Doctor.js"
