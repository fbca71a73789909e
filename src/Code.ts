/**
 * Running code in a session: languages, options and result.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * The languages of `runCode`.
 *
 * @since 0.1.0
 * @category models
 */
export type Language = "python" | "javascript"

/**
 * Accepted names, aliases included (as AgentBay accepts them).
 *
 * @since 0.1.0
 * @category models
 */
export type LanguageName = Language | "python3" | "py" | "js" | "node" | "nodejs"

/**
 * @since 0.1.0
 * @category constants
 */
export const languageAliases: Readonly<Record<LanguageName, Language>> = {
  python: "python",
  python3: "python",
  py: "python",
  javascript: "javascript",
  js: "javascript",
  node: "javascript",
  nodejs: "javascript"
}

/**
 * The language a name stands for, if it is one.
 *
 * @since 0.1.0
 * @category constructors
 */
export const normalizeLanguage = (name: string): Language | undefined =>
  (languageAliases as Record<string, Language>)[name.trim().toLowerCase()]

/**
 * Options of `runCode`: `timeoutMs` limits the run (default 60000); the
 * process tree is killed when it passes and the result's `error.name` is
 * `"TimeoutError"`.
 *
 * @since 0.1.0
 * @category models
 */
export const RunCodeOptions = Schema.Struct({
  timeoutMs: Schema.optionalWith(Schema.Number.pipe(Schema.positive()), { exact: true })
})

/**
 * @since 0.1.0
 * @category models
 */
export interface RunCodeOptions extends Schema.Schema.Type<typeof RunCodeOptions> {}

/**
 * An exception raised by the code.
 *
 * @since 0.1.0
 * @category models
 */
export const ExecutionError = Schema.Struct({
  name: Schema.String,
  value: Schema.String,
  traceback: Schema.String
})

/**
 * @since 0.1.0
 * @category models
 */
export interface ExecutionError extends Schema.Schema.Type<typeof ExecutionError> {}

/**
 * One rich result, AgentBay's shape: `text` is the plain-text form.
 *
 * @since 0.1.0
 * @category models
 */
export const ExecutionResult = Schema.Struct({
  text: Schema.optionalWith(Schema.String, { exact: true }),
  html: Schema.optionalWith(Schema.String, { exact: true }),
  markdown: Schema.optionalWith(Schema.String, { exact: true }),
  png: Schema.optionalWith(Schema.String, { exact: true }),
  jpeg: Schema.optionalWith(Schema.String, { exact: true }),
  svg: Schema.optionalWith(Schema.String, { exact: true }),
  json: Schema.optionalWith(Schema.Unknown, { exact: true }),
  isMainResult: Schema.Boolean
})

/**
 * @since 0.1.0
 * @category models
 */
export interface ExecutionResult extends Schema.Schema.Type<typeof ExecutionResult> {}

/**
 * What a code run did, in AgentBay's shape. `result` is the main result (the
 * value of a trailing expression, like a notebook cell) or else stdout.
 * An exception is data: `error` is set and the run still succeeds as an
 * operation. `executionTime` is in milliseconds.
 *
 * @since 0.1.0
 * @category models
 */
export class CodeResult extends Schema.Class<CodeResult>("effect-agentbay/CodeResult")({
  result: Schema.String,
  logs: Schema.Struct({
    stdout: Schema.Array(Schema.String),
    stderr: Schema.Array(Schema.String)
  }),
  results: Schema.Array(ExecutionResult),
  error: Schema.optionalWith(ExecutionError, { exact: true }),
  executionTime: Schema.Number
}) {}
