/**
 * Shell commands in a session: options and result.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * Options of `executeCommand`. `timeoutMs` is the command's own time limit:
 * when it passes, the command's whole process tree is killed and the result
 * says `timedOut: true`. The session lives on.
 *
 * @since 0.1.0
 * @category models
 */
export const CommandOptions = Schema.Struct({
  timeoutMs: Schema.optionalWith(Schema.Number.pipe(Schema.positive()), { exact: true }),
  cwd: Schema.optionalWith(Schema.String, { exact: true }),
  envs: Schema.optionalWith(Schema.Record({ key: Schema.String, value: Schema.String }), { exact: true })
})

/**
 * @since 0.1.0
 * @category models
 */
export interface CommandOptions extends Schema.Schema.Type<typeof CommandOptions> {}

/**
 * What a command did. A non-zero `exitCode` is data, not an error; a command
 * killed by its timeout has `timedOut: true` and exit code 124; one killed by
 * signal N has 128 + N. `stdout` and `stderr` are each capped (1 MiB by
 * default), `truncated` says whether anything was cut.
 *
 * @since 0.1.0
 * @category models
 */
export class CommandResult extends Schema.Class<CommandResult>("effect-agentbay/CommandResult")({
  exitCode: Schema.Number,
  stdout: Schema.String,
  stderr: Schema.String,
  /** stdout followed by stderr, as AgentBay reports it. */
  output: Schema.String,
  durationMs: Schema.Number,
  timedOut: Schema.Boolean,
  truncated: Schema.Boolean
}) {}
