#!/usr/bin/env node
/**
 * The command line: `npx effect-agentbay doctor [--json]`.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Doctor from "./Doctor.js"

const USAGE = `usage: effect-agentbay <command>

commands:
  doctor [--json]   check that the local sandbox works here, which limits hold, and how to fix what is missing
`

const main = async (args: ReadonlyArray<string>): Promise<number> => {
  const [command, ...rest] = args
  if (command === "doctor") {
    const report = await Effect.runPromise(Doctor.run())
    console.log(rest.includes("--json") ? JSON.stringify(report, null, 2) : Doctor.format(report))
    return report.ok ? 0 : 1
  }
  if (command === undefined || command === "help" || command === "--help" || command === "-h") {
    console.log(USAGE)
    return command === undefined ? 2 : 0
  }
  console.error(`unknown command: ${command}\n\n${USAGE}`)
  return 2
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (error) => {
    console.error(error)
    process.exitCode = 1
  }
)
