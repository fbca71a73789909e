/**
 * How a local session starts: bubblewrap (inside its cgroups, under its
 * rlimits, through a shell that joins the cgroups and sets the limits before
 * it execs bwrap, so nothing in the sandbox ever runs outside them), or, only
 * when asked for by name, the helper directly on the host.
 *
 * @internal
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { entryPath } from "../bundle.js"
import type { Launch } from "./helperProcess.js"
import { type Limits, makeSessionCgroups, type SessionCgroups } from "./limits.js"
import { planSandbox, sandboxEnv } from "./sandbox.js"

/** A launch, and what must be cleaned up after the session ends. */
export interface Prepared {
  readonly launch: Launch
  /** The host directory of an unsandboxed session. */
  readonly workspace: string | undefined
  readonly cgroups: SessionCgroups | undefined
}

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`

const HOST_ENV_FOR_BWRAP = { PATH: "/usr/bin:/bin" }

let helperSource: Buffer | undefined

/** Prepares a sandboxed session. */
export const prepareSandboxed = (
  bwrapPath: string,
  limits: Limits,
  pythonPath: string | null,
  startTimeoutMs: number,
  sessionId: string
): Prepared => {
  helperSource ??= fs.readFileSync(entryPath("sandbox-helper"))
  const plan = planSandbox(
    { diskBytes: limits.diskBytes, outputBytes: limits.outputBytes, cpuSeconds: limits.cpuSeconds, pythonPath },
    helperSource
  )
  const cgroups = makeSessionCgroups(limits, sessionId)
  const steps = [
    ...cgroups.procs.map((procs) => `echo $$ > ${quote(procs)}`),
    ...(limits.openFiles === null ? [] : [`ulimit -n ${limits.openFiles}`]),
    // dash counts -f in 512-byte blocks
    ...(limits.fileSizeBytes === null ? [] : [`ulimit -f ${Math.max(1, Math.floor(limits.fileSizeBytes / 512))}`])
  ]
  const wrapped = steps.length > 0
  return {
    workspace: undefined,
    cgroups,
    launch: {
      command: wrapped ? "/bin/sh" : bwrapPath,
      args: wrapped ? ["-c", `${steps.join(" && ")} && exec "$0" "$@"`, bwrapPath, ...plan.argv] : plan.argv,
      dataFds: plan.dataFds,
      infoFd: plan.infoFd,
      env: HOST_ENV_FOR_BWRAP,
      startTimeoutMs,
      config: plan.config
    }
  }
}

/** Prepares a session without any isolation (`dangerouslyRunWithoutSandbox`). */
export const prepareUnsandboxed = (limits: Limits, pythonPath: string | null, startTimeoutMs: number): Prepared => {
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), "effect-agentbay-unsandboxed-"))
  const home = path.join(workspace, "home")
  const tmp = path.join(workspace, "tmp")
  fs.mkdirSync(home)
  fs.mkdirSync(tmp)
  const env = sandboxEnv(home, tmp)
  return {
    workspace,
    cgroups: undefined,
    launch: {
      command: process.execPath,
      args: [entryPath("sandbox-helper")],
      dataFds: [],
      env,
      startTimeoutMs,
      unsandboxed: true,
      config: {
        roots: [home, tmp],
        home,
        env,
        maxOutputBytes: limits.outputBytes,
        python: pythonPath,
        node: process.execPath,
        cpuSeconds: limits.cpuSeconds
      }
    }
  }
}
