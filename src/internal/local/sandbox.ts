/**
 * The bubblewrap command line of a session, and the helper's configuration.
 *
 * The sandbox sees an allow-listed, read-only system (`/usr` and its
 * symlinks, a few files of `/etc`), synthetic `/etc/passwd`, `/etc/group` and
 * `/etc/hosts`, private tmpfs for the workspace (`/home/user`) and `/tmp`
 * (sized: the disk limit; gone with the sandbox, so nothing is ever left on
 * the host), a read-only `/dev` with a sized `/dev/shm`, its own pid, network, ipc, uts and user namespaces with no
 * nested user namespaces, no capabilities, a cleared environment, and it dies
 * with its parent.
 *
 * @internal
 */
import * as fs from "node:fs"
import * as path from "node:path"
import type { HelperConfig } from "../helper/protocol.js"

export const HOME = "/home/user"
export const TMP = "/tmp"
export const HELPER_PATH = "/opt/agentbay/helper.cjs"
const NODE_IN_SANDBOX = "/opt/agentbay/bin/node"

/** The resolved settings a sandbox is built from. */
export interface SandboxSettings {
  readonly diskBytes: number
  readonly outputBytes: number
  readonly cpuSeconds: number | null
  readonly pythonPath: string | null
}

/** A sandbox to start: argv for bwrap, data for its descriptors 3.., and the helper's configuration. */
export interface SandboxPlan {
  readonly argv: ReadonlyArray<string>
  /** Contents written to descriptors 3, 4, ... (read by `--ro-bind-data`). */
  readonly dataFds: ReadonlyArray<Buffer>
  /** Descriptor on which bwrap reports the sandbox's pid (`--info-fd`). */
  readonly infoFd: number
  readonly config: HelperConfig
}

const PASSWD = "root:x:0:0:root:/root:/usr/sbin/nologin\nuser:x:1000:1000:user:/home/user:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"
const GROUP = "root:x:0:\nuser:x:1000:\nnogroup:x:65534:\n"
const HOSTS = "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n127.0.1.1\tsandbox\n"

/** Optional read-only files of /etc (certificates, time zone, the loader cache). */
const ETC_FILES = [
  "/etc/alternatives",
  "/etc/ld.so.cache",
  "/etc/ld.so.conf",
  "/etc/ld.so.conf.d",
  "/etc/ssl",
  "/etc/ca-certificates",
  "/etc/pki",
  "/etc/localtime",
  "/etc/nsswitch.conf",
  "/etc/mime.types"
]

/** Top-level directories that usr-merged hosts make symlinks into /usr. */
const USR_LINKS = ["/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"]

/** The environment of every process in the sandbox. */
export const sandboxEnv = (home: string, tmp: string, extraPath: ReadonlyArray<string> = []): Record<string, string> => ({
  PATH: [...extraPath, "/usr/local/bin", "/usr/bin", "/bin"].join(":"),
  HOME: home,
  TMPDIR: tmp,
  LANG: "C.UTF-8",
  USER: "user",
  LOGNAME: "user",
  SHELL: "/bin/sh"
})

/** python3 that lives under /usr (bound into the sandbox); pyenv shims and the like are skipped. */
export const findPython = (): string | null => {
  for (const candidate of ["/usr/local/bin/python3", "/usr/bin/python3"]) {
    try {
      const real = fs.realpathSync(candidate)
      if (real.startsWith("/usr/")) return candidate
    } catch {
      // not there
    }
  }
  return null
}

const isUnderUsr = (file: string): boolean => {
  try {
    return fs.realpathSync(file).startsWith("/usr/")
  } catch {
    return false
  }
}

/** The sandbox for a session. */
export const planSandbox = (settings: SandboxSettings, helperSource: Buffer): SandboxPlan => {
  const args: Array<string> = [
    "--unshare-all",
    "--unshare-user",
    "--disable-userns",
    "--die-with-parent",
    "--new-session",
    "--cap-drop",
    "ALL",
    "--uid",
    "1000",
    "--gid",
    "1000",
    "--hostname",
    "sandbox",
    "--clearenv"
  ]
  const nodeInUsr = isUnderUsr(process.execPath)
  const env = sandboxEnv(HOME, TMP, nodeInUsr ? [] : [path.dirname(NODE_IN_SANDBOX)])
  for (const [key, value] of Object.entries(env)) args.push("--setenv", key, value)
  args.push("--ro-bind", "/usr", "/usr")
  for (const dir of USR_LINKS) {
    let stat: fs.Stats
    try {
      stat = fs.lstatSync(dir)
    } catch {
      continue
    }
    if (stat.isSymbolicLink()) args.push("--symlink", fs.readlinkSync(dir), dir)
    else if (stat.isDirectory()) args.push("--ro-bind", dir, dir)
  }
  for (const file of ETC_FILES) args.push("--ro-bind-try", file, file)
  // descriptors 3.. carry synthetic files; the last one reports the sandbox's pid
  const data = [Buffer.from(PASSWD), Buffer.from(GROUP), Buffer.from(HOSTS), helperSource]
  const targets = ["/etc/passwd", "/etc/group", "/etc/hosts", HELPER_PATH]
  targets.forEach((target, i) => args.push("--ro-bind-data", String(3 + i), target))
  const infoFd = 3 + data.length
  args.push("--info-fd", String(infoFd))
  args.push("--proc", "/proc", "--dev", "/dev")
  // /dev is a tmpfs of bwrap's: keep it read-only, with a sized /dev/shm for shared memory
  args.push("--size", String(settings.diskBytes), "--tmpfs", "/dev/shm", "--remount-ro", "/dev")
  args.push("--size", String(settings.diskBytes), "--tmpfs", TMP)
  args.push("--size", String(settings.diskBytes), "--tmpfs", HOME)
  if (!nodeInUsr) args.push("--ro-bind", process.execPath, NODE_IN_SANDBOX)
  args.push("--chdir", HOME, "--remount-ro", "/")
  const node = nodeInUsr ? process.execPath : NODE_IN_SANDBOX
  args.push("--", node, "--max-old-space-size=256", HELPER_PATH)
  return {
    argv: args,
    dataFds: data,
    infoFd,
    config: {
      roots: [HOME, TMP],
      home: HOME,
      env,
      maxOutputBytes: settings.outputBytes,
      python: settings.pythonPath,
      node,
      cpuSeconds: settings.cpuSeconds
    }
  }
}
