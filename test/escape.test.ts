/**
 * The escape battery: attacks on the local sandbox through the public API,
 * each refused or contained, with a concrete outcome asserted, the host
 * untouched, and the SDK healthy afterwards. SECURITY.md lists the same cases.
 */
import * as dgram from "node:dgram"
import * as fs from "node:fs"
import * as net from "node:net"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll, describe, expect, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import { AgentBay, type Session } from "../src/effect.js"
import { hostProcesses, uniqueSleep, waitGone } from "./util.js"

const checkout = path.resolve(__dirname, "..")
/** A host file no sandboxed code may read, change or delete. */
const canary = path.join("/var/tmp", `agentbay-canary-${process.pid}`)
const CANARY = "host canary: must never change\n"
fs.writeFileSync(canary, CANARY)
process.env.AGENTBAY_TEST_SECRET = "host-secret-value-7f3a"
afterAll(() => {
  expect(fs.readFileSync(canary, "utf8")).toBe(CANARY)
  fs.rmSync(canary)
})

const sh = (session: Session.Session, command: string, timeoutMs = 10_000) =>
  Effect.map(session.command.executeCommand(command, { timeoutMs }), (r) => r)

/** Every file operation, aimed at `target` (and at `other` where a second path is taken). */
const everyFileOperation = (session: Session.Session, target: string) => {
  const fs_ = session.fileSystem
  return {
    readFile: fs_.readFile(target),
    writeFile: fs_.writeFile(target, "pwned"),
    listDirectory: fs_.listDirectory(target),
    createDirectory: fs_.createDirectory(target),
    moveFileFrom: fs_.moveFile(target, "/home/user/moved"),
    moveFileTo: fs_.moveFile("/home/user/mine.txt", target),
    deleteFile: fs_.deleteFile(target, { recursive: true }),
    getFileInfo: fs_.getFileInfo(target),
    searchFiles: fs_.searchFiles(target, "*"),
    editFile: fs_.editFile(target, [{ oldText: "a", newText: "b" }]),
    readMultipleFiles: fs_.readMultipleFiles([target])
  }
}

describe("escape battery", () => {
  layer(AgentBay.layerLocal({ processes: 128, memoryBytes: 256 * 1024 * 1024, outputBytes: 64 * 1024, diskBytes: 16 * 1024 * 1024 }), {
    excludeTestServices: true
  })((it) => {
    it.scoped("path traversal in every file operation: .., absolute host paths, encoded names", () =>
      Effect.gen(function*() {
        const session = yield* AgentBay.session()
        yield* session.fileSystem.writeFile("/home/user/mine.txt", "mine")
        const targets = [
          "/etc/passwd",
          "/home/user/../../etc/passwd",
          "../../../etc/shadow",
          "/tmp/../../usr/bin",
          canary,
          path.join(checkout, "package.json"),
          "/proc/self/root/etc/hostname",
          "/proc/1/cwd"
        ]
        for (const target of targets) {
          // a host path that happens to look like a workspace path (a checkout under /tmp) names the
          // session's own file: contained, not refused
          const aliased = /^\/(tmp|home\/user)\//.test(path.posix.normalize(target))
          for (const [operation, effect] of Object.entries(everyFileOperation(session, target))) {
            const outcome = yield* Effect.either(effect)
            if (!aliased) {
              expect(Either.isLeft(outcome) && outcome.left._tag, `${operation}(${target})`).toBe("PathOutsideWorkspaceError")
            }
          }
          if (aliased && fs.existsSync(target)) expect(fs.readFileSync(target, "utf8")).not.toBe("pwned")
        }
        // an encoded name is a name, not a path: it stays in the workspace
        yield* session.fileSystem.writeFile("%2e%2e%2f%2e%2e%2fetc%2fpasswd", "just a name")
        expect(yield* session.fileSystem.readFile("/home/user/%2e%2e%2f%2e%2e%2fetc%2fpasswd")).toBe("just a name")
        expect((yield* sh(session, "ls /home/user")).stdout).toContain("%2e%2e%2f")
        expect(fs.readFileSync(canary, "utf8")).toBe(CANARY)
        expect(fs.existsSync(path.join(checkout, "moved"))).toBe(false)
      }))

    it.scoped("symlinks and hardlinks planted by sandboxed code cannot reach outside", () =>
      Effect.gen(function*() {
        const session = yield* AgentBay.session()
        yield* session.fileSystem.writeFile("/home/user/mine.txt", "mine")
        yield* sh(session, [
          "ln -s /etc/passwd passwd-link",
          "ln -s / root-link",
          "ln -s ../../.. up-link",
          `ln -s ${canary} canary-link`,
          "ln -s /proc/1/root init-root",
          "mkdir d && ln -s /usr d/usr-link"
        ].join(" && "))
        const links = ["/home/user/passwd-link", "/home/user/root-link/etc/passwd", "/home/user/up-link/etc", "/home/user/canary-link", "/home/user/init-root/etc/passwd", "/home/user/d/usr-link/bin"]
        for (const link of links) {
          for (const [operation, effect] of Object.entries(everyFileOperation(session, link))) {
            if (operation === "deleteFile" || operation === "moveFileFrom") continue // the link itself may go
            const outcome = yield* Effect.either(effect)
            // moving a file onto the link's name finds the name taken: it never writes through the link
            const refused = operation === "moveFileTo" ? ["PathOutsideWorkspaceError", "FileExistsError"] : ["PathOutsideWorkspaceError"]
            expect(refused, `${operation}(${link})`).toContain(Either.isLeft(outcome) ? outcome.left._tag : "succeeded")
          }
        }
        // a link into the sandbox's own system view shows the sandbox, never the host
        const viaCommand = yield* sh(session, `cat canary-link 2>&1; cat root-link/etc/passwd | cut -d: -f1 | tr '\\n' ' '`)
        expect(viaCommand.stdout).toContain("No such file or directory")
        expect(viaCommand.stdout).toContain("root user nobody")
        // hardlinks cannot cross into the workspace from the read-only system or between the two tmpfs
        const hard = yield* sh(session, "ln /usr/bin/env hl1 2>&1; echo x > /tmp/t && ln /tmp/t hl2 2>&1; echo done")
        expect(hard.stdout).toMatch(/Invalid cross-device link|Operation not permitted/)
        expect((yield* sh(session, "ls hl1 hl2 2>&1")).stdout).toContain("No such file")
        // the links themselves can be deleted and moved; their targets are untouched
        yield* session.fileSystem.deleteFile("/home/user/canary-link")
        yield* session.fileSystem.moveFile("/home/user/passwd-link", "/home/user/renamed-link")
        expect(fs.readFileSync(canary, "utf8")).toBe(CANARY)
      }))

    it.scoped("host secrets: /etc/shadow, the host's home, the checkout, the environment, other sessions", () =>
      Effect.gen(function*() {
        const a = yield* AgentBay.session()
        const b = yield* AgentBay.session()
        yield* a.fileSystem.writeFile("/home/user/a-secret", "a's secret")
        const look = yield* sh(b, [
          "cat /etc/shadow 2>&1 | head -1",
          `ls ${os.homedir()} 2>&1 | head -1`,
          `ls ${checkout} 2>&1 | head -1`,
          `cat ${canary} 2>&1 | head -1`,
          "env; cat /proc/1/environ 2>/dev/null | tr '\\0' '\\n'",
          "find / -name a-secret 2>/dev/null | head -1",
          "ls /proc | grep -cE '^[0-9]+$'"
        ].join("; echo ---; "))
        const [shadow, home, repo, canaryRead, env, secret, pids] = look.stdout.split("---\n").map((s) => s.trim())
        expect(shadow).toContain("No such file or directory")
        expect(home).toContain("No such file or directory")
        expect(repo).toContain("No such file or directory")
        expect(canaryRead).toContain("No such file or directory")
        expect(env).not.toContain("host-secret-value-7f3a")
        expect(env).not.toContain("AGENTBAY_TEST_SECRET")
        expect(secret).toBe("")
        expect(Number(pids)).toBeLessThan(10)
        expect((yield* Effect.flip(b.fileSystem.readFile("/home/user/a-secret")))._tag).toBe("FileNotFoundError")
      }))

    it.scoped("network: host TCP on loopback, UDP, DNS and host unix sockets are unreachable", () =>
      Effect.gen(function*() {
        let tcpHits = 0
        let udpHits = 0
        let unixHits = 0
        const tcp = net.createServer((s) => {
          tcpHits++
          s.end("secret")
        })
        const udp = dgram.createSocket("udp4")
        udp.on("message", () => void udpHits++)
        const abstract = `\0agentbay-test-${process.pid}`
        const unix = net.createServer((s) => {
          unixHits++
          s.end("secret")
        })
        yield* Effect.acquireRelease(
          Effect.promise(() =>
            Promise.all([
              new Promise<void>((r) => tcp.listen(0, "127.0.0.1", () => r())),
              new Promise<void>((r) => udp.bind(0, "127.0.0.1", () => r())),
              new Promise<void>((r) => unix.listen(abstract, () => r()))
            ])
          ),
          () => Effect.promise(() => Promise.all([new Promise((r) => tcp.close(r)), new Promise((r) => udp.close(() => r(null))), new Promise((r) => unix.close(r))]))
        )
        const tcpPort = (tcp.address() as net.AddressInfo).port
        const udpPort = udp.address().port
        const session = yield* AgentBay.session()
        const probe = yield* session.code.runCode(
          [
            "import socket",
            "def attempt(f):",
            "  try:",
            "    return f()",
            "  except OSError as e:",
            "    return 'refused:' + type(e).__name__",
            "def tcp():",
            "  s = socket.create_connection(('127.0.0.1', " + tcpPort + "), timeout=2); return 'connected ' + str(s.recv(10))",
            "def udp():",
            "  s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.sendto(b'x', ('127.0.0.1', " + udpPort + ")); return 'sent'",
            "def dns():",
            "  return socket.gethostbyname('example.com')",
            "def unix():",
            "  s = socket.socket(socket.AF_UNIX); s.settimeout(2); s.connect('\\0agentbay-test-" + process.pid + "'); return 'connected'",
            "def outside():",
            "  s = socket.create_connection(('1.1.1.1', 53), timeout=2); return 'connected'",
            "print(attempt(tcp), attempt(udp), attempt(dns), attempt(unix), attempt(outside))"
          ].join("\n"),
          "python"
        )
        const [tcpOut, udpOut, dnsOut, unixOut, outsideOut] = probe.logs.stdout.join("").trim().split(" ")
        expect(tcpOut).toMatch(/^refused/)
        // UDP to the sandbox's own loopback is "sent" into the void: the host server must see nothing
        expect(udpOut).toBe("sent")
        expect(dnsOut).toMatch(/^refused/)
        expect(unixOut).toMatch(/^refused/)
        expect(outsideOut).toMatch(/^refused/)
        yield* Effect.sleep("200 millis")
        expect([tcpHits, udpHits, unixHits]).toEqual([0, 0, 0])
        // the host's unix sockets on disk are not there at all
        expect((yield* sh(session, "ls /run/docker.sock /var/run 2>&1")).stdout).toContain("No such file")
      }))

    it.scoped("host processes can be neither seen nor signalled", () =>
      Effect.gen(function*() {
        const session = yield* AgentBay.session()
        const seen = yield* sh(session, `ps -e -o pid=,comm= | wc -l; kill -9 ${process.pid} 2>&1; kill -9 1 2>&1; echo sent`)
        expect(Number(seen.stdout.split("\n")[0])).toBeLessThan(8)
        expect(seen.stdout).toMatch(/No such process/)
        // this test process, and the sandbox's own init, are alive
        expect(() => process.kill(process.pid, 0)).not.toThrow()
        expect((yield* sh(session, "echo alive")).stdout).toBe("alive\n")
      }))

    it.scoped("privilege escalation: setuid, capabilities, unshare, mount, setuid()", () =>
      Effect.gen(function*() {
        const session = yield* AgentBay.session()
        const out = yield* sh(session, [
          "grep -E 'CapEff|CapBnd|CapPrm|NoNewPrivs' /proc/self/status | tr '\\t\\n' '  '",
          "unshare -r true 2>&1 || echo unshare-denied",
          "unshare -U true 2>&1 || echo unshare-user-denied",
          "mkdir -p m && mount -t tmpfs none m 2>&1 || echo mount-denied",
          "cp /usr/bin/id ./suid-id && chmod u+s ./suid-id && ./suid-id -u",
          "su -c true 2>&1 || echo su-denied",
          "python3 -c 'import os; os.setuid(0)' 2>&1 | tail -1",
          "/usr/sbin/chroot / true 2>&1 || echo chroot-denied"
        ].join("; echo; "))
        expect(out.stdout).toMatch(/CapPrm:\s+0000000000000000/)
        expect(out.stdout).toMatch(/CapEff:\s+0000000000000000/)
        expect(out.stdout).toMatch(/CapBnd:\s+0000000000000000/)
        expect(out.stdout).toMatch(/NoNewPrivs:\s+1/)
        expect(out.stdout).toContain("unshare-denied")
        expect(out.stdout).toContain("unshare-user-denied")
        expect(out.stdout).toContain("mount-denied")
        expect(out.stdout).toContain("su-denied")
        // uid 0 does not even exist in the sandbox's user namespace
        expect(out.stdout).toMatch(/PermissionError|Errno 22\] Invalid argument/)
        expect(out.stdout).toContain("chroot-denied")
        // the setuid copy runs as the sandbox user, not as anyone else
        expect(out.stdout.split("\n")).toContain("1000")
      }))

    it.scoped("a fork bomb is contained by the process limit; the session and the SDK recover", () =>
      Effect.gen(function*() {
        const session = yield* AgentBay.session()
        const before = hostProcesses("").length
        const bomb = yield* sh(session, "bomb() { bomb | bomb & }; bomb; sleep 1; ps -e --no-headers | wc -l", 5_000)
        expect(bomb.stderr).toMatch(/fork|Resource temporarily unavailable/i)
        const peak = Number(bomb.stdout.trim() || "128")
        expect(peak).toBeLessThanOrEqual(128)
        // the host saw at most the limit's worth of new processes
        expect(hostProcesses("").length - before).toBeLessThan(200)
        // once its processes are killed, the session works again
        yield* sh(session, "pkill -9 -f bomb; true").pipe(Effect.ignore)
        let alive = ""
        for (let i = 0; i < 50 && alive !== "alive\n"; i++) {
          alive = (yield* Effect.either(sh(session, "echo alive"))).pipe(Either.match({ onLeft: () => "", onRight: (r) => r.stdout }))
          if (alive !== "alive\n") yield* Effect.sleep("100 millis")
        }
        expect(alive).toBe("alive\n")
        const other = yield* AgentBay.session()
        expect((yield* sh(other, "echo healthy")).stdout).toBe("healthy\n")
      }))

    it.scoped("a memory hog is killed at the memory limit; the helper survives", () =>
      Effect.gen(function*() {
        const session = yield* AgentBay.session()
        const hog = yield* session.code.runCode("x = []\nwhile True:\n    x.append(bytearray(16 * 1024 * 1024))", "python", { timeoutMs: 30_000 })
        expect(hog.error?.name).toBe("KilledError")
        expect(hog.error?.value).toContain("memory limit")
        expect((yield* sh(session, "echo alive")).stdout).toBe("alive\n")
      }))

    it.scoped("a CPU spin is killed at its timeout, its process gone", () =>
      Effect.gen(function*() {
        const session = yield* AgentBay.session()
        const marker = uniqueSleep()
        const spin = yield* session.command.executeCommand(`sh -c 'while :; do :; done' spin-${marker}`, { timeoutMs: 500 })
        expect(spin.timedOut).toBe(true)
        expect(yield* waitGone(`spin-${marker}`, 500)).toEqual([])
      }))

    it.scoped("an output flood is cut at the cap and drained; the helper stays responsive", () =>
      Effect.gen(function*() {
        const session = yield* AgentBay.session()
        const flood = yield* session.command.executeCommand("yes flood", { timeoutMs: 1_000 })
        expect(flood.truncated).toBe(true)
        expect(flood.timedOut).toBe(true)
        expect(flood.stdout.length).toBe(64 * 1024)
        const binary = yield* sh(session, "head -c 200000 /dev/urandom")
        expect(binary.truncated).toBe(true)
        expect((yield* sh(session, "echo alive")).stdout).toBe("alive\n")
      }))

    it.scoped("a disk flood fills only the session's own tmpfs", () =>
      Effect.gen(function*() {
        const session = yield* AgentBay.session()
        const freeBefore = fs.statfsSync(os.tmpdir()).bavail
        const flood = yield* sh(
          session,
          "for d in /home/user /tmp; do for i in $(seq 1 24); do dd if=/dev/zero of=$d/fill$i bs=1M count=1 2>&1 | grep -v records; done; done; df -k /home/user /tmp | tail -2"
        )
        expect(flood.stdout).toContain("No space left on device")
        expect(flood.stdout).toMatch(/16384\s+16384\s+0\s+100% \/home\/user/)
        const freeAfter = fs.statfsSync(os.tmpdir()).bavail
        // the host's disk did not take the 32 MiB the session wrote
        expect(Math.abs(freeAfter - freeBefore) * fs.statfsSync(os.tmpdir()).bsize).toBeLessThan(8 * 1024 * 1024)
        const write = yield* Effect.flip(session.fileSystem.writeFile("/tmp/more", new Uint8Array(1024 * 1024)))
        expect(write._tag === "FileSystemError" && write.reason).toBe("NoSpace")
        // the rest of the sandbox is read-only, and /dev/shm is sized like the workspace
        const elsewhere = yield* sh(
          session,
          "touch /dev/x /usr/x /x /etc/x /opt/x 2>&1 | grep -c 'Read-only file system'; for i in $(seq 1 24); do dd if=/dev/zero of=/dev/shm/fill$i bs=1M count=1 2>&1 | grep -v records; done"
        )
        expect(elsewhere.stdout.split("\n")[0]).toBe("5")
        expect(elsewhere.stdout).toContain("No space left on device")
      }))

    it.scoped("children of a timed-out command do not outlive it", () =>
      Effect.gen(function*() {
        const session = yield* AgentBay.session()
        const a = uniqueSleep()
        const b = uniqueSleep()
        const result = yield* session.command.executeCommand(
          `sleep ${a} & (sleep ${b} &) ; nohup sleep ${a} > /dev/null 2>&1 & setsid sleep ${b} & sleep ${a}`,
          { timeoutMs: 400 }
        )
        expect(result.timedOut).toBe(true)
        expect(yield* waitGone(`sleep ${a}`, 500)).toEqual([])
        expect(yield* waitGone(`sleep ${b}`, 500)).toEqual([])
      }))

    it.scoped("very long, binary and NUL-containing arguments and file names", () =>
      Effect.gen(function*() {
        const session = yield* AgentBay.session()
        const long = yield* Effect.flip(session.command.executeCommand(`echo ${"x".repeat(200_000)}`))
        expect(long._tag).toBe("InvalidArgumentError")
        expect(long.message).toContain("128 KiB")
        expect((yield* Effect.flip(session.command.executeCommand("echo a\0b")))._tag).toBe("InvalidArgumentError")
        expect((yield* Effect.flip(session.fileSystem.writeFile("/tmp/a\0b", "x")))._tag).toBe("InvalidArgumentError")
        expect((yield* Effect.flip(session.command.executeCommand("true", { envs: { A: "x\0y" } })))._tag).toBe("InvalidArgumentError")
        const tooLong = yield* Effect.flip(session.fileSystem.writeFile(`/tmp/${"n".repeat(300)}`, "x"))
        expect(tooLong).toMatchObject({ _tag: "FileSystemError", reason: "NameTooLong" })
        const pathTooLong = yield* Effect.flip(session.fileSystem.readFile(`/tmp/${"d/".repeat(3000)}`))
        expect(pathTooLong._tag).toBe("InvalidArgumentError")
        // control characters and newlines in names are names like any other
        const odd = "/tmp/line\nbreak \u0001\u007f é.txt"
        yield* session.fileSystem.writeFile(odd, new Uint8Array([0, 255, 10, 13]))
        expect(yield* session.fileSystem.readFile(odd, { format: "bytes" })).toEqual(new Uint8Array([0, 255, 10, 13]))
        expect(yield* session.fileSystem.listDirectory("/tmp")).toContainEqual({ name: "line\nbreak \u0001\u007f é.txt", isDirectory: false })
        expect(yield* session.fileSystem.searchFiles("/tmp", "break")).toEqual([odd])
        const envs = yield* session.command.executeCommand("printf %s \"$MULTI\"", { envs: { MULTI: "one\ntwo\u0001" } })
        expect(envs.stdout).toBe("one\ntwo\u0001")
        expect((yield* sh(session, "echo alive")).stdout).toBe("alive\n")
      }))
  })
})
