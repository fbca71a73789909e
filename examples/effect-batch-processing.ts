/**
 * Effect-native twin of the guide's "Example: Batch File Processing": the
 * session is scoped (deleted when the scope closes, whatever happens), each
 * file operation is an Effect with typed errors.
 * Run: npx tsx examples/effect-batch-processing.ts
 */
import { Console, Effect } from "effect"
import { AgentBay, type Session } from "effect-agentbay/effect"

const processFiles = (session: Session.Session, fileList: ReadonlyArray<string>) =>
  Effect.forEach(fileList, (filePath) =>
    Effect.gen(function*() {
      const content = yield* session.fileSystem.readFile(filePath)
      yield* session.fileSystem.writeFile(`${filePath}.processed`, content.toUpperCase())
      return `Processed: ${filePath}`
    }))

const files = ["/tmp/file1.txt", "/tmp/file2.txt", "/tmp/file3.txt"]

const program = Effect.gen(function*() {
  const session = yield* AgentBay.session({ imageId: "code_latest" })
  // sessions start empty: put the sample files in place
  yield* Effect.forEach(files, (file, i) => session.fileSystem.writeFile(file, `hello from file ${i + 1}\n`), { discard: true })

  const results = yield* processFiles(session, files)
  for (const result of results) yield* Console.log(result)

  const processed = yield* session.fileSystem.readMultipleFiles(files.map((file) => `${file}.processed`))
  for (const [path, content] of Object.entries(processed)) yield* Console.log(`${path}: ${JSON.stringify(content)}`)
})

program.pipe(
  Effect.scoped,
  Effect.provide(AgentBay.layerLocal()),
  Effect.catchAll((error) => Console.error(`failed: ${error.message}`).pipe(Effect.andThen(Effect.sync(() => process.exitCode = 1)))),
  Effect.runPromise
)
