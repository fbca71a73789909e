/**
 * `doctor`: can the local sandbox run here, which limits hold, and the exact
 * fix for each missing piece. Also the package's command line:
 * `npx effect-agentbay doctor`.
 *
 * @since 0.1.0
 */
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as AgentBay from "./AgentBay.js"
import type * as LocalBackend from "./LocalBackend.js"
import { ResourceLimit } from "./Session.js"
import { installFix, namespacesFix } from "./internal/local/diagnose.js"
import { localLimitStatuses } from "./internal/local/backend.js"
import { findPython } from "./internal/local/sandbox.js"

/**
 * One check: what was looked at, whether it is fine, and what to do if not.
 *
 * @since 0.1.0
 * @category models
 */
export const Check = Schema.Struct({
  name: Schema.String,
  ok: Schema.Boolean,
  detail: Schema.String,
  fix: Schema.optionalWith(Schema.String, { exact: true })
})

/**
 * @since 0.1.0
 * @category models
 */
export interface Check extends Schema.Schema.Type<typeof Check> {}

/**
 * The diagnosis. `ok` means sessions can be created and are isolated; limits
 * that cannot be enforced are listed with their fix but do not make it fail.
 *
 * @since 0.1.0
 * @category models
 */
export const Report = Schema.Struct({
  ok: Schema.Boolean,
  checks: Schema.Array(Check),
  limits: Schema.Array(ResourceLimit)
})

/**
 * @since 0.1.0
 * @category models
 */
export interface Report extends Schema.Schema.Type<typeof Report> {}

const readTrim = (file: string): string | undefined => {
  try {
    return fs.readFileSync(file, "utf8").trim()
  } catch {
    return undefined
  }
}

const bwrapVersion = (bwrap: string): string | undefined => {
  try {
    return execFileSync(bwrap, ["--version"], { encoding: "utf8", timeout: 5_000 }).trim()
  } catch {
    return undefined
  }
}

const LIMIT_FIXES: Record<string, string> = {
  memoryBytes: "run as root (cgroup v1), or under a delegated cgroup v2 (e.g. systemd-run --user --scope -p Delegate=yes node app.js)",
  processes: "run as root (cgroup v1), or under a delegated cgroup v2 (e.g. systemd-run --user --scope -p Delegate=yes node app.js)"
}

/**
 * Diagnoses the local backend with these options, by starting a real session.
 *
 * @since 0.1.0
 * @category constructors
 */
export const run = (options: LocalBackend.Options = {}): Effect.Effect<Report> =>
  Effect.gen(function*() {
    const checks: Array<Check> = []
    const major = Number(process.versions.node.split(".")[0])
    checks.push({
      name: "node",
      ok: major >= 20,
      detail: `Node.js ${process.version}`,
      ...(major >= 20 ? {} : { fix: "use Node.js 20 or newer" })
    })
    checks.push({
      name: "platform",
      ok: process.platform === "linux",
      detail: process.platform,
      ...(process.platform === "linux" ? {} : { fix: "the local sandbox needs Linux; use the cloud backend elsewhere" })
    })
    const bwrap = options.bwrapPath ?? (fs.existsSync("/usr/bin/bwrap") ? "/usr/bin/bwrap" : "bwrap")
    const version = bwrapVersion(bwrap)
    checks.push({
      name: "bubblewrap",
      ok: version !== undefined,
      detail: version === undefined ? `${bwrap} not found` : `${bwrap}: ${version}`,
      ...(version === undefined ? { fix: installFix() } : {})
    })
    const sysctls = [
      ["kernel.unprivileged_userns_clone", readTrim("/proc/sys/kernel/unprivileged_userns_clone")],
      ["user.max_user_namespaces", readTrim("/proc/sys/user/max_user_namespaces")],
      ["kernel.apparmor_restrict_unprivileged_userns", readTrim("/proc/sys/kernel/apparmor_restrict_unprivileged_userns")]
    ].filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${v}`)

    // the real thing: a session, a command, its isolation
    const probe = yield* Effect.scoped(Effect.gen(function*() {
      const started = performance.now()
      const session = yield* AgentBay.session()
      const createdMs = Math.round(performance.now() - started)
      const look = yield* session.command.executeCommand(
        `grep CapEff /proc/self/status; tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' ' | tr '\\n' ' '; echo; test -e ${JSON.stringify(process.cwd())} && echo host-visible || echo host-hidden; whoami`
      )
      return { createdMs, out: look.stdout }
    })).pipe(
      Effect.provide(AgentBay.layerLocal({ ...options, retry: false })),
      Effect.either
    )
    if (probe._tag === "Left") {
      const error = probe.left
      checks.push({
        name: "sandbox",
        ok: false,
        detail: `${error.message}${sysctls.length > 0 ? ` (${sysctls.join(", ")})` : ""}`,
        fix: "fix" in error && typeof error.fix === "string" ? error.fix : namespacesFix()
      })
    } else {
      const { createdMs, out } = probe.right
      checks.push({
        name: "sandbox",
        ok: true,
        detail: `a session started in ${createdMs} ms${sysctls.length > 0 ? ` (${sysctls.join(", ")})` : ""}`
      })
      const isolated = /CapEff:\s*0+\b/.test(out) && /^lo $/m.test(out) && out.includes("host-hidden") && out.includes("user")
      checks.push({
        name: "isolation",
        ok: isolated,
        detail: isolated
          ? "no capabilities, loopback only, host files hidden, unprivileged user"
          : `unexpected view from inside: ${out.trim().replace(/\n/g, " | ")}`,
        ...(isolated ? {} : { fix: "report this: see SECURITY.md" })
      })
    }
    const python = options.pythonPath === undefined ? findPython() : options.pythonPath
    checks.push({
      name: "python",
      ok: python !== null,
      detail: python === null ? "no python3 under /usr: runCode(..., \"python\") is unsupported" : `${python} (runCode python)`,
      ...(python === null ? { fix: "apt-get install -y python3" } : {})
    })
    const limits = localLimitStatuses(options)
    for (const limit of limits) {
      if (!limit.enforced && limit.value !== null) {
        checks.push({ name: `limit ${limit.name}`, ok: false, detail: limit.detail ?? "not enforced", fix: LIMIT_FIXES[limit.name] ?? "" })
      }
    }
    const essential = ["node", "platform", "bubblewrap", "sandbox", "isolation"]
    return { ok: checks.filter((c) => essential.includes(c.name)).every((c) => c.ok), checks, limits }
  })

/**
 * The report as text, a line per check and per limit.
 *
 * @since 0.1.0
 * @category formatting
 */
export const format = (report: Report): string => {
  const lines = [`effect-agentbay doctor: ${report.ok ? "the local sandbox works here" : "the local sandbox cannot work here yet"}`, ""]
  for (const check of report.checks) {
    lines.push(`${check.ok ? "ok  " : "FAIL"} ${check.name}: ${check.detail}`)
    if (!check.ok && check.fix) lines.push(`     fix: ${check.fix}`)
  }
  lines.push("", "limits of each session:")
  for (const limit of report.limits) {
    const value = limit.value === null ? "none" : String(limit.value)
    lines.push(`  ${limit.enforced ? "enforced    " : "NOT enforced"} ${limit.name} = ${value}: ${limit.enforced ? limit.mechanism : "see above"}`)
  }
  return lines.join("\n")
}
