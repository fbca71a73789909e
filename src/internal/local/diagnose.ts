/**
 * Why bubblewrap could not start, and the exact fix. Shared by the local
 * backend (fail closed with the fix) and `doctor`.
 *
 * @internal
 */
import * as fs from "node:fs"
import { SandboxUnavailableError } from "../../AgentBayError.js"

/** The install line for bubblewrap on this distribution. */
export const installFix = (): string => {
  let os = ""
  try {
    os = fs.readFileSync("/etc/os-release", "utf8")
  } catch {
    // not Linux, or no os-release
  }
  if (/^ID(_LIKE)?=.*(debian|ubuntu)/m.test(os)) return "install bubblewrap: sudo apt-get install -y bubblewrap"
  if (/^ID(_LIKE)?=.*(fedora|rhel|centos)/m.test(os)) return "install bubblewrap: sudo dnf install -y bubblewrap"
  if (/^ID(_LIKE)?=.*(alpine)/m.test(os)) return "install bubblewrap: sudo apk add bubblewrap"
  if (/^ID(_LIKE)?=.*(arch)/m.test(os)) return "install bubblewrap: sudo pacman -S bubblewrap"
  return "install bubblewrap with your package manager (Debian/Ubuntu: sudo apt-get install -y bubblewrap)"
}

/** How to let unprivileged processes create user namespaces on this host. */
export const namespacesFix = (): string => {
  const read = (file: string): string | undefined => {
    try {
      return fs.readFileSync(file, "utf8").trim()
    } catch {
      return undefined
    }
  }
  const fixes: Array<string> = []
  if (read("/proc/sys/kernel/apparmor_restrict_unprivileged_userns") === "1") {
    fixes.push(
      "AppArmor (Ubuntu 24.04+) restricts user namespaces: sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0 (or install an AppArmor profile for /usr/bin/bwrap)"
    )
  }
  if (read("/proc/sys/kernel/unprivileged_userns_clone") === "0") {
    fixes.push("enable them: sudo sysctl -w kernel.unprivileged_userns_clone=1")
  }
  if (read("/proc/sys/user/max_user_namespaces") === "0") {
    fixes.push("allow them: sudo sysctl -w user.max_user_namespaces=15000")
  }
  if (fixes.length === 0) {
    fixes.push(
      "allow unprivileged user namespaces (sudo sysctl -w kernel.unprivileged_userns_clone=1; on Ubuntu 24.04 also kernel.apparmor_restrict_unprivileged_userns=0), or use the cloud backend"
    )
  }
  if (fs.existsSync("/.dockerenv")) {
    fixes.push("inside Docker, run the container with --security-opt seccomp=unconfined --security-opt apparmor=unconfined, or use the cloud backend")
  }
  return fixes.join("; ")
}

/** The error for a spawn failure of bwrap itself. */
export const spawnFailure = (bwrapPath: string, error: NodeJS.ErrnoException): SandboxUnavailableError =>
  error.code === "ENOENT"
    ? new SandboxUnavailableError({ reason: "BubblewrapMissing", detail: `${bwrapPath} does not exist`, fix: installFix() })
    : new SandboxUnavailableError({
      reason: "StartFailed",
      detail: `cannot run ${bwrapPath}: ${error.message}`,
      fix: `make ${bwrapPath} executable, or ${installFix()}`
    })

/** The error for a bwrap that exited before the helper was ready, from what it printed. */
export const startFailure = (stderr: string, exitCode: number | null): SandboxUnavailableError => {
  const detail = stderr.trim().split("\n").slice(-3).join(" ") || `bwrap exited with code ${exitCode}`
  if (/namespace|uid map|setting up uid|Operation not permitted|Permission denied|No permissions/i.test(stderr)) {
    return new SandboxUnavailableError({ reason: "NamespacesDenied", detail, fix: namespacesFix() })
  }
  if (/Unknown option|unrecognized option/i.test(stderr)) {
    return new SandboxUnavailableError({
      reason: "StartFailed",
      detail,
      fix: `bubblewrap is too old (0.8 or newer is needed): ${installFix()}`
    })
  }
  return new SandboxUnavailableError({
    reason: "StartFailed",
    detail,
    fix: "run `npx effect-agentbay doctor` for a diagnosis"
  })
}
