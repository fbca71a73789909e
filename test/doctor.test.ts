import { execFile } from "node:child_process"
import * as path from "node:path"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { Doctor } from "../src/effect.js"

const root = path.resolve(__dirname, "..")
const tsx = path.join(root, "node_modules", ".bin", "tsx")

// each run starts Node, tsx and a real session: ~2 s alone, ~15 s on a loaded 2-core machine
const CLI_TIMEOUT_MS = 120_000

const cli = (args: ReadonlyArray<string>, asNobody = false) =>
  new Promise<{ code: number; stdout: string }>((resolve) => {
    const [command, argv] = asNobody
      ? ["setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "env", "HOME=/tmp", "PATH=/usr/bin:/bin", tsx, "src/cli.ts", ...args]]
      : [tsx, ["src/cli.ts", ...args]]
    execFile(command as string, argv as Array<string>, { cwd: root, timeout: CLI_TIMEOUT_MS }, (error, stdout) =>
      resolve({ code: error ? Number((error as NodeJS.ErrnoException).code ?? 1) : 0, stdout }))
  })

const LIMITS = ["memoryBytes", "processes", "cpuSeconds", "fileSizeBytes", "openFiles", "diskBytes", "outputBytes", "idleTimeoutMs", "maxLifetimeMs"]

describe("doctor", () => {
  it.effect("reports a working sandbox, its isolation, and every limit with how it is enforced", () =>
    Effect.gen(function*() {
      const report = yield* Doctor.run()
      expect(report.ok).toBe(true)
      const byName = Object.fromEntries(report.checks.map((c) => [c.name, c]))
      expect(byName.bubblewrap?.detail).toMatch(/bubblewrap \d+\.\d+/)
      expect(byName.sandbox?.ok).toBe(true)
      expect(byName.isolation).toMatchObject({ ok: true, detail: expect.stringContaining("host files hidden") })
      expect(report.limits.map((l) => l.name)).toEqual(LIMITS)
      for (const limit of report.limits) {
        expect(limit.enforced ? limit.mechanism : limit.detail, limit.name).toBeTruthy()
      }
      if (process.getuid?.() === 0) {
        // as root, cgroups are writable here: memory and processes hold
        expect(report.limits.filter((l) => l.name === "memoryBytes" || l.name === "processes").every((l) => l.enforced)).toBe(true)
      }
    }))

  it.effect("a missing bubblewrap fails the diagnosis with the install line", () =>
    Effect.gen(function*() {
      const report = yield* Doctor.run({ bwrapPath: "/nonexistent/bwrap" })
      expect(report.ok).toBe(false)
      const check = report.checks.find((c) => c.name === "bubblewrap")!
      expect(check.ok).toBe(false)
      expect(check.fix).toContain("apt-get install -y bubblewrap")
      const sandbox = report.checks.find((c) => c.name === "sandbox")!
      expect(sandbox.ok).toBe(false)
      expect(sandbox.fix).toContain("bubblewrap")
      expect(Doctor.format(report)).toContain("fix: install bubblewrap")
    }))

  it("npx effect-agentbay doctor: text, --json, exit codes", async () => {
    const text = await cli(["doctor"])
    expect(text.code).toBe(0)
    expect(text.stdout).toContain("the local sandbox works here")
    expect(text.stdout).toMatch(/enforced\s+diskBytes = 536870912: tmpfs size/)
    const json = await cli(["doctor", "--json"])
    expect(JSON.parse(json.stdout).ok).toBe(true)
    expect((await cli(["nonsense"])).code).toBe(2)
  }, 3 * CLI_TIMEOUT_MS)

  it.runIf(process.getuid?.() === 0)("as an unprivileged user, unenforceable limits are reported with their fix", async () => {
    const run = await cli(["doctor", "--json"], true)
    const report = JSON.parse(run.stdout) as Doctor.Report
    expect(report.checks.find((c) => c.name === "sandbox")?.ok).toBe(true)
    const memory = report.limits.find((l) => l.name === "memoryBytes")!
    expect(memory.enforced).toBe(false)
    expect(memory.detail).toMatch(/not writable|not available/)
    const check = report.checks.find((c) => c.name === "limit memoryBytes")!
    expect(check.fix).toContain("Delegate=yes")
  }, CLI_TIMEOUT_MS)
})
