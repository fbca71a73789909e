import * as net from "node:net"
import * as os from "node:os"
import { describe, expect, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { AgentBay } from "../src/effect.js"

describe("the local sandbox's isolation", () => {
  layer(AgentBay.layerLocal(), { excludeTestServices: true })((it) => {
    it.scoped("no network: a TCP server on the host's loopback is unreachable, DNS fails", () =>
      Effect.gen(function*() {
        const server = net.createServer((socket) => socket.end("host secret\n"))
        yield* Effect.acquireRelease(
          Effect.async<void>((resume) => void server.listen(0, "127.0.0.1", () => resume(Effect.void))),
          () => Effect.async<void>((resume) => void server.close(() => resume(Effect.void)))
        )
        const port = (server.address() as net.AddressInfo).port
        const session = yield* AgentBay.session()
        const tcp = yield* session.code.runCode(
          `import socket\ns = socket.socket()\ns.settimeout(2)\ntry:\n  s.connect(("127.0.0.1", ${port}))\n  print("connected", s.recv(100))\nexcept OSError as e:\n  print("refused", e.errno)`,
          "python"
        )
        expect(tcp.logs.stdout.join("")).toMatch(/^refused/)
        const ifaces = yield* session.command.executeCommand("cat /proc/net/dev | tail -n +3 | cut -d: -f1 | tr -d ' '")
        expect(ifaces.stdout.trim().split("\n")).toEqual(["lo"])
        const dns = yield* session.code.runCode(
          "import socket\ntry:\n  print(socket.gethostbyname('example.com'))\nexcept OSError as e:\n  print('no dns')",
          "python"
        )
        expect(dns.logs.stdout).toEqual(["no dns\n"])
      }))

    it.scoped("no host files, no capabilities, its own pids, a clean environment, no inherited descriptors", () =>
      Effect.gen(function*() {
        const session = yield* AgentBay.session()
        const run = (command: string) => Effect.map(session.command.executeCommand(command), (r) => r.stdout.trim())
        expect(yield* run("ls /")).toBe(["bin", "dev", "etc", "home", "lib", "lib64", "opt", "proc", "sbin", "tmp", "usr"].filter((d) => d !== "lib64" || os.arch() === "x64").join("\n"))
        expect(yield* run(`test -e ${process.cwd()} && echo visible || echo hidden`)).toBe("hidden")
        expect(yield* run("test -e /etc/shadow && echo visible || echo hidden")).toBe("hidden")
        expect(yield* run(`test -e ${os.homedir()}/.npmrc && echo visible || echo hidden`)).toBe("hidden")
        expect(yield* run("grep CapEff /proc/self/status")).toBe("CapEff:\t0000000000000000")
        expect(yield* run("grep NoNewPrivs /proc/self/status")).toBe("NoNewPrivs:\t1")
        // pid 1 and 2 are the sandbox's init and helper; no host process is visible
        const pids = (yield* run("ls /proc | grep -E '^[0-9]+$' | sort -n | head -2")).split("\n")
        expect(pids).toEqual(["1", "2"])
        expect(yield* run("ps -e | wc -l")).toMatch(/^[4-6]$/)
        expect(yield* run("ls /proc/self/fd | tr '\\n' ' '")).toBe("0 1 2 3")
        expect(yield* run("hostname")).toBe("sandbox")
        expect(yield* run("whoami")).toBe("user")
        expect(yield* run("touch /usr/x 2>&1 || true")).toContain("Read-only file system")
        expect(yield* run("touch /x 2>&1 || true")).toContain("Read-only file system")
        expect(yield* run("unshare -U true 2>&1 || echo denied")).toContain("denied")
        expect(yield* run("env | grep -c -E 'NODE_|npm_|VITEST' || true")).toBe("0")
      }))

    it.scoped("sessions cannot see each other", () =>
      Effect.gen(function*() {
        const a = yield* AgentBay.session()
        const b = yield* AgentBay.session()
        yield* a.fileSystem.writeFile("/home/user/secret", "a's")
        yield* a.fileSystem.writeFile("/tmp/secret", "a's")
        expect((yield* Effect.flip(b.fileSystem.readFile("/home/user/secret")))._tag).toBe("FileNotFoundError")
        expect((yield* Effect.flip(b.fileSystem.readFile("/tmp/secret")))._tag).toBe("FileNotFoundError")
        expect((yield* b.command.executeCommand("find /tmp /home/user -mindepth 1 | wc -l")).stdout.trim()).toBe("0")
      }))
  })
})
