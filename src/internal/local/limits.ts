/**
 * Resource limits of local sessions, enforced with what the machine offers:
 * cgroups (v1 or v2, wherever this process may create them) for memory and
 * process count, rlimits for CPU time, file size and open files, tmpfs sizes
 * for disk, the helper for output, timers for idle time and lifetime. What
 * cannot be enforced here is reported as such, never silently ignored.
 *
 * @internal
 */
import * as fs from "node:fs"
import * as path from "node:path"

/** Every limit, resolved (null: no limit asked for). */
export interface Limits {
  readonly memoryBytes: number | null
  readonly processes: number | null
  readonly cpuSeconds: number | null
  readonly fileSizeBytes: number | null
  readonly openFiles: number | null
  readonly diskBytes: number
  readonly outputBytes: number
  readonly idleTimeoutMs: number
  readonly maxLifetimeMs: number
}

/** Whether a limit holds in this backend's sessions, and by what. */
export interface LimitStatus {
  readonly name: keyof Limits
  readonly value: number | null
  readonly enforced: boolean
  readonly mechanism: string
  readonly detail?: string
}

type Controller = "memory" | "pids"

/** Where sessions' cgroups for one controller go. */
interface CgroupHome {
  readonly version: 1 | 2
  /** The directory under which each session gets its own cgroup. */
  readonly parent: string
}

/** What this machine lets us do with cgroups, per controller. */
export interface CgroupSupport {
  readonly memory: CgroupHome | string
  readonly pids: CgroupHome | string
}

const CGROUP_ROOT = "/sys/fs/cgroup"
const DIR_NAME = "effect-agentbay"

const readLines = (file: string): Array<string> => {
  try {
    return fs.readFileSync(file, "utf8").split("\n").filter((l) => l.length > 0)
  } catch {
    return []
  }
}

const writable = (dir: string): boolean => {
  try {
    fs.mkdirSync(dir, { recursive: true })
    fs.accessSync(dir, fs.constants.W_OK)
    return true
  } catch {
    return false
  }
}

const v1Home = (controller: Controller): CgroupHome | string => {
  const mount = path.join(CGROUP_ROOT, controller)
  if (!fs.existsSync(path.join(mount, "cgroup.procs")) || fs.existsSync(path.join(mount, "cgroup.controllers"))) {
    return "no cgroup v1 hierarchy for it"
  }
  const own = readLines("/proc/self/cgroup")
    .map((line) => line.split(":"))
    .find(([, controllers]) => controllers!.split(",").includes(controller))?.[2]
  const parent = path.join(mount, own ?? "/", DIR_NAME)
  return writable(parent) ? { version: 1, parent } : `${path.dirname(parent)} is not writable by this process`
}

const v2Home = (controller: Controller): CgroupHome | string => {
  const mount = fs.existsSync(path.join(CGROUP_ROOT, "cgroup.controllers"))
    ? CGROUP_ROOT
    : fs.existsSync(path.join(CGROUP_ROOT, "unified", "cgroup.controllers"))
    ? path.join(CGROUP_ROOT, "unified")
    : undefined
  if (mount === undefined) return "no cgroup v2 hierarchy"
  const own = readLines("/proc/self/cgroup").find((line) => line.startsWith("0::"))?.slice(3) ?? "/"
  const ownDir = path.join(mount, own)
  if (!readLines(path.join(ownDir, "cgroup.controllers")).join(" ").split(" ").includes(controller)) {
    return `the ${controller} controller is not available to this process's cgroup v2 (${ownDir})`
  }
  const parent = path.join(ownDir, DIR_NAME)
  try {
    // children get the controller only if every level down enables it for its subtree
    fs.writeFileSync(path.join(ownDir, "cgroup.subtree_control"), `+${controller}`)
    fs.mkdirSync(parent, { recursive: true })
    fs.writeFileSync(path.join(parent, "cgroup.subtree_control"), `+${controller}`)
    return { version: 2, parent }
  } catch (error) {
    return `cannot delegate the ${controller} controller under ${ownDir} (${(error as NodeJS.ErrnoException).code ?? error}); run under a delegated cgroup (e.g. systemd-run --user --scope -p Delegate=yes) or as root`
  }
}

let detected: CgroupSupport | undefined

/** The cgroup homes this process can use (detected once). */
export const detectCgroups = (): CgroupSupport => {
  if (detected !== undefined) return detected
  const home = (controller: Controller): CgroupHome | string => {
    const v1 = v1Home(controller)
    if (typeof v1 !== "string") return v1
    const v2 = v2Home(controller)
    return typeof v2 !== "string" ? v2 : `${v2}; ${v1}`
  }
  detected = { memory: home("memory"), pids: home("pids") }
  removeStaleCgroups(detected)
  return detected
}

/** Removes empty session cgroups left by processes that died without cleaning up. */
const removeStaleCgroups = (support: CgroupSupport): void => {
  for (const home of [support.memory, support.pids]) {
    if (typeof home === "string") continue
    for (const name of fs.readdirSync(home.parent)) {
      const pid = Number(name.split("-")[0])
      if (!Number.isInteger(pid) || pid === process.pid) continue
      try {
        process.kill(pid, 0)
      } catch {
        try {
          fs.rmdirSync(path.join(home.parent, name))
        } catch {
          // not empty yet, or gone
        }
      }
    }
  }
}

/** The status of every limit under these settings. */
export const limitStatuses = (limits: Limits, unsandboxed: boolean): Array<LimitStatus> => {
  const support = unsandboxed ? undefined : detectCgroups()
  const cgroup = (name: "memoryBytes" | "processes", controller: Controller): LimitStatus => {
    const value = limits[name]
    if (value === null) return { name, value, enforced: false, mechanism: "none", detail: "no limit asked for" }
    if (support === undefined) return { name, value, enforced: false, mechanism: "none", detail: "sessions run without a sandbox" }
    const home = support[controller]
    return typeof home === "string"
      ? { name, value, enforced: false, mechanism: "none", detail: home }
      : { name, value, enforced: true, mechanism: `cgroup v${home.version} ${controller}` }
  }
  const rlimit = (name: "cpuSeconds" | "fileSizeBytes" | "openFiles", what: string): LimitStatus => {
    const value = limits[name]
    if (value === null) return { name, value, enforced: false, mechanism: "none", detail: "no limit asked for" }
    if (unsandboxed && name !== "cpuSeconds") return { name, value, enforced: false, mechanism: "none", detail: "sessions run without a sandbox" }
    return { name, value, enforced: true, mechanism: what }
  }
  return [
    cgroup("memoryBytes", "memory"),
    cgroup("processes", "pids"),
    rlimit("cpuSeconds", "rlimit CPU (per process, ulimit -t)"),
    rlimit("fileSizeBytes", "rlimit FSIZE (ulimit -f)"),
    rlimit("openFiles", "rlimit NOFILE (ulimit -n)"),
    unsandboxed
      ? { name: "diskBytes", value: limits.diskBytes, enforced: false, mechanism: "none", detail: "sessions run without a sandbox" }
      : { name: "diskBytes", value: limits.diskBytes, enforced: true, mechanism: "tmpfs size (each of /home/user and /tmp)" },
    { name: "outputBytes", value: limits.outputBytes, enforced: true, mechanism: "helper (kept per stream; the rest is drained and flagged)" },
    { name: "idleTimeoutMs", value: limits.idleTimeoutMs, enforced: true, mechanism: "timer (the session is deleted)" },
    { name: "maxLifetimeMs", value: limits.maxLifetimeMs, enforced: true, mechanism: "timer (the session is deleted)" }
  ]
}

/** A session's cgroups: the `cgroup.procs` files to join before bwrap starts, and the directories to remove after. */
export interface SessionCgroups {
  readonly procs: ReadonlyArray<string>
  readonly dirs: ReadonlyArray<string>
}

/** Creates the cgroups of one session with its limits. Throws if a cgroup that is supported cannot be made. */
export const makeSessionCgroups = (limits: Limits, sessionId: string): SessionCgroups => {
  const support = detectCgroups()
  const name = `${process.pid}-${sessionId}`
  const procs: Array<string> = []
  const dirs: Array<string> = []
  const settings: Array<[Controller, number | null, (dir: string, version: 1 | 2, value: number) => void]> = [
    [
      "memory",
      limits.memoryBytes,
      (dir, version, value) => {
        if (version === 1) {
          fs.writeFileSync(path.join(dir, "memory.limit_in_bytes"), String(value))
          // no escape into swap either, where the kernel offers it
          const memsw = path.join(dir, "memory.memsw.limit_in_bytes")
          if (fs.existsSync(memsw)) fs.writeFileSync(memsw, String(value))
        } else {
          fs.writeFileSync(path.join(dir, "memory.max"), String(value))
          const swap = path.join(dir, "memory.swap.max")
          if (fs.existsSync(swap)) fs.writeFileSync(swap, "0")
        }
      }
    ],
    ["pids", limits.processes, (dir, _version, value) => fs.writeFileSync(path.join(dir, "pids.max"), String(value))]
  ]
  for (const [controller, value, apply] of settings) {
    const home = support[controller]
    if (value === null || typeof home === "string") continue
    const dir = path.join(home.parent, name)
    // v2 has one tree for every controller: the same directory may serve both
    if (!dirs.includes(dir)) {
      fs.mkdirSync(dir)
      dirs.push(dir)
      procs.push(path.join(dir, "cgroup.procs"))
    }
    apply(dir, home.version, value)
  }
  return { procs, dirs }
}

/** Removes a session's cgroups once everything in them has exited. */
export const removeSessionCgroups = async (cgroups: SessionCgroups): Promise<void> => {
  for (const dir of cgroups.dirs) {
    for (let attempt = 0; attempt < 50; attempt++) {
      try {
        fs.rmdirSync(dir)
        break
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code
        if (code === "ENOENT") break
        // EBUSY: the last processes are still being reaped
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
    }
  }
}

/** Synchronous removal for `process.on("exit")`. */
export const removeSessionCgroupsNow = (cgroups: SessionCgroups): void => {
  for (const dir of cgroups.dirs) {
    try {
      fs.rmdirSync(dir)
    } catch {
      // left for the next process to remove (see removeStaleCgroups)
    }
  }
}
