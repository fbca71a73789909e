/**
 * Twin of the guide's "When to Use Sync API > Command-Line Tools"
 * (Example: CLI Tool): argparse becomes `node:util`'s `parseArgs`, the sync
 * `AgentBay` becomes the blocking client.
 *
 * Run: npx tsx examples/cli-tool.ts "6 * 7"
 *      npx tsx examples/cli-tool.ts --language javascript "[1, 2, 3].map((x) => x * 2)"
 *
 * Unlike the guide, a failed run also sets the exit code (1), and a usage
 * error exits with 2, as argparse does.
 */
import { parseArgs } from "node:util"
import { AgentBay, CreateSessionParams } from "effect-agentbay"

const usage = "usage: cli-tool [-h] [--language LANGUAGE] code\n\nRun code in AgentBay"

const parse = (): { readonly code: string; readonly language: string } | undefined => {
  try {
    const { values, positionals } = parseArgs({
      options: { language: { type: "string", default: "python" }, help: { type: "boolean", short: "h" } },
      allowPositionals: true
    })
    if (values.help === true) {
      console.log(usage)
      return undefined
    }
    const [code, ...extra] = positionals
    if (code === undefined || extra.length > 0) throw new Error("expected exactly one argument: code")
    return { code, language: values.language }
  } catch (error) {
    console.error(`${usage}\ncli-tool: error: ${error instanceof Error ? error.message : String(error)}`)
    process.exitCode = 2
    return undefined
  }
}

const main = (): void => {
  const args = parse()
  if (args === undefined) return

  const agentBay = new AgentBay()
  const created = agentBay.create(CreateSessionParams({ imageId: "code_latest" }))
  if (!created.success) {
    console.error(`Error: ${created.errorMessage}`)
    process.exitCode = 1
    return
  }
  const session = created.session
  try {
    const result = session.code.runCode(args.code, args.language)
    if (result.success) {
      console.log(result.result.trimEnd())
    } else {
      console.log(`Error: ${result.errorMessage}`)
      process.exitCode = 1
    }
  } finally {
    agentBay.delete(session)
  }
}

main()
