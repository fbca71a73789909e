/**
 * Sessions: the parameters to create one, what is known about one, and the
 * Effect API of a live session.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import type { EffectDoor, SessionApi } from "./Api.js"

/**
 * Labels: string keys to string values.
 *
 * @since 0.1.0
 * @category models
 */
export const Labels = Schema.Record({ key: Schema.String, value: Schema.String })

/**
 * @since 0.1.0
 * @category models
 */
export type Labels = typeof Labels.Type

/**
 * Parameters of `create`. `imageId` defaults to `"code_latest"`; the local
 * backend runs `code_latest` and `linux_latest` (the same sandbox).
 *
 * @since 0.1.0
 * @category models
 */
export const CreateSessionParams = Schema.Struct({
  imageId: Schema.optionalWith(Schema.String, { exact: true }),
  labels: Schema.optionalWith(Labels, { exact: true })
})

/**
 * @since 0.1.0
 * @category models
 */
export interface CreateSessionParams extends Schema.Schema.Type<typeof CreateSessionParams> {}

/**
 * AgentBay's session statuses.
 *
 * @since 0.1.0
 * @category models
 */
export const SessionStatus = Schema.Literal("RUNNING", "PAUSING", "PAUSED", "RESUMING", "DELETING", "DELETED")

/**
 * @since 0.1.0
 * @category models
 */
export type SessionStatus = typeof SessionStatus.Type

/**
 * A resource limit of a session: its value (null: none), and whether this
 * machine enforces it, by what mechanism, or why not.
 *
 * @since 0.1.0
 * @category models
 */
export const ResourceLimit = Schema.Struct({
  name: Schema.String,
  value: Schema.NullOr(Schema.Number),
  enforced: Schema.Boolean,
  mechanism: Schema.String,
  detail: Schema.optionalWith(Schema.String, { exact: true })
})

/**
 * @since 0.1.0
 * @category models
 */
export interface ResourceLimit extends Schema.Schema.Type<typeof ResourceLimit> {}

/**
 * What is known about a session. Times are ISO 8601. `limits` (local
 * backend) lists the resource limits and whether each is enforced here.
 *
 * @since 0.1.0
 * @category models
 */
export class SessionInfo extends Schema.Class<SessionInfo>("effect-agentbay/SessionInfo")({
  sessionId: Schema.String,
  status: SessionStatus,
  imageId: Schema.String,
  labels: Labels,
  backend: Schema.Literal("local", "cloud"),
  createdAt: Schema.String,
  /** When the session ends unless deleted first (local backend). */
  expiresAt: Schema.optionalWith(Schema.String, { exact: true }),
  resourceUrl: Schema.optionalWith(Schema.String, { exact: true }),
  limits: Schema.optionalWith(Schema.Array(ResourceLimit), { exact: true })
}) {}

/**
 * Parameters of `list`: sessions carrying all of `labels`, `limit` per page
 * (default 10), from `nextToken` on.
 *
 * @since 0.1.0
 * @category models
 */
export const ListSessionsParams = Schema.Struct({
  labels: Schema.optionalWith(Labels, { exact: true }),
  limit: Schema.optionalWith(Schema.Int.pipe(Schema.positive()), { exact: true }),
  nextToken: Schema.optionalWith(Schema.String, { exact: true })
})

/**
 * @since 0.1.0
 * @category models
 */
export interface ListSessionsParams extends Schema.Schema.Type<typeof ListSessionsParams> {}

/**
 * A page of `list`, AgentBay's shape. `nextToken` is `""` on the last page.
 *
 * @since 0.1.0
 * @category models
 */
export class SessionList extends Schema.Class<SessionList>("effect-agentbay/SessionList")({
  sessionIds: Schema.Array(Schema.Struct({ sessionId: Schema.String, sessionStatus: SessionStatus })),
  nextToken: Schema.String,
  maxResults: Schema.Number,
  totalCount: Schema.Number
}) {}

/**
 * A live session in the Effect API: `session.command.executeCommand(...)`,
 * `session.code.runCode(...)`, `session.fileSystem.readFile(...)`, ... each
 * an `Effect` with its typed errors.
 *
 * @since 0.1.0
 * @category models
 */
export interface Session extends SessionApi<EffectDoor> {}
