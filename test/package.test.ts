/**
 * The built package, as users get it: ESM and CJS entry points, the bundled
 * sandbox helper and blocking worker found at run time from both, and the
 * command-line entry.
 */
import { execFile, execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { beforeAll, describe, expect, it } from "@effect/vitest"

const root = path.resolve(__dirname, "..")
const dist = path.join(root, "dist")

const node = (args: ReadonlyArray<string>) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, args as Array<string>, { cwd: root, timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number((error as NodeJS.ErrnoException).code ?? 1) : 0, stdout, stderr }))
  })

const script = (kind: "esm" | "cjs") => {
  const load = kind === "esm"
    ? `const { AgentBay, AsyncAgentBay } = await import(${JSON.stringify(path.join(dist, "index.js"))});
       const { AgentBay: Fx } = await import(${JSON.stringify(path.join(dist, "effect.js"))});
       const { Effect } = await import("effect");`
    : `const { AgentBay, AsyncAgentBay } = require(${JSON.stringify(path.join(dist, "index.cjs"))});
       const { AgentBay: Fx } = require(${JSON.stringify(path.join(dist, "effect.cjs"))});
       const { Effect } = require("effect");`
  return `(async () => {
    ${load}
    const blocking = new AgentBay()
    const b = blocking.create().session
    const out = [b.command.executeCommand("echo blocking-${kind}").output.trim()]
    blocking.delete(b)
    const promise = new AsyncAgentBay()
    const p = (await promise.create()).session
    out.push((await p.code.runCode("'promise-${kind}'", "python")).result)
    await promise.delete(p)
    await promise.close()
    out.push(await Effect.runPromise(Effect.scoped(Effect.gen(function* () {
      const s = yield* Fx.session()
      return (yield* s.command.executeCommand("echo effect-${kind}")).stdout.trim()
    })).pipe(Effect.provide(Fx.layerLocal()))))
    console.log(out.join(" "))
  })()`
}

describe("the built package", () => {
  beforeAll(() => {
    execFileSync("npm", ["run", "build"], { cwd: root, stdio: "ignore" })
  }, 180_000)

  it("has every entry point, typed", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"))
    for (const entry of Object.values(pkg.exports as Record<string, any>)) {
      if (typeof entry === "string") continue
      for (const file of [entry.import, entry.require, entry.types.import, entry.types.require]) {
        expect(fs.existsSync(path.join(root, file)), file).toBe(true)
      }
    }
    for (const bundled of ["sandbox-helper.cjs", "blocking-worker.cjs"]) expect(fs.existsSync(path.join(dist, bundled))).toBe(true)
    expect(fs.readFileSync(path.join(root, pkg.bin["effect-agentbay"]), "utf8").startsWith("#!/usr/bin/env node")).toBe(true)
  })

  it("works from the ESM build: all three doors", async () => {
    const run = await node(["--input-type=module", "-e", script("esm")])
    expect(run.stderr).toBe("")
    expect(run.stdout.trim()).toBe("blocking-esm 'promise-esm' effect-esm")
  })

  it("works from the CJS build: all three doors", async () => {
    const run = await node(["-e", script("cjs")])
    expect(run.stderr).toBe("")
    expect(run.stdout.trim()).toBe("blocking-cjs 'promise-cjs' effect-cjs")
  })

  it("the command line entry runs doctor", async () => {
    const run = await node([path.join(dist, "cli.js"), "doctor"])
    expect(run.code).toBe(0)
    expect(run.stdout).toContain("the local sandbox works here")
  })
})
