import * as fs from "node:fs"
import * as Effect from "effect/Effect"

/** Host pids whose command line contains all of `parts` (joined by spaces). */
export const hostProcesses = (needle: string): Array<number> => {
  const found: Array<number> = []
  for (const name of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue
    try {
      const cmdline = fs.readFileSync(`/proc/${name}/cmdline`, "utf8").split("\0").join(" ")
      const state = /\) (\w)/.exec(fs.readFileSync(`/proc/${name}/stat`, "utf8"))?.[1]
      if (cmdline.includes(needle) && state !== "Z") found.push(Number(name))
    } catch {
      // gone
    }
  }
  return found
}

/** Waits until no host process matches `needle` (up to `ms`), then returns the ones left. */
export const waitGone = (needle: string, ms = 3_000) =>
  Effect.promise(async () => {
    const until = Date.now() + ms
    while (hostProcesses(needle).length > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20))
    return hostProcesses(needle)
  })

/** A unique sleep duration, so that a test can find its own `sleep` processes. */
let n = 0
export const uniqueSleep = () => `1000.${process.pid}${++n}`
