/**
 * Builds the sandbox helper once before the suite, and after it checks that
 * nothing the tests started is still running on this machine.
 */
import * as fs from "node:fs"
import { entryPath } from "../src/internal/bundle.js"

const ours = (): Array<string> => {
  const found: Array<string> = []
  for (const name of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue
    try {
      const cmdline = fs.readFileSync(`/proc/${name}/cmdline`, "utf8").split("\0").join(" ")
      const environ = fs.readFileSync(`/proc/${name}/environ`, "utf8")
      if (cmdline.includes("/opt/agentbay/helper.cjs") || environ.includes("AGENTBAY_COMMAND_ID=")) found.push(`${name}: ${cmdline}`)
    } catch {
      // gone
    }
  }
  return found
}

let before = new Set<string>()

export const setup = (): void => {
  entryPath("sandbox-helper")
  before = new Set(ours())
}

const leftBehind = () => ours().filter((p) => !before.has(p))

export const teardown = async (): Promise<void> => {
  // the namespaces of the last deleted sessions may take a moment to empty
  for (let i = 0; i < 50 && leftBehind().length > 0; i++) await new Promise((r) => setTimeout(r, 100))
  const left = leftBehind()
  if (left.length > 0) throw new Error(`the tests left sandbox processes behind:\n${left.join("\n")}`)
}
