/**
 * Twin of the guide's "When to Use Sync API > Simple Scripts and Automation"
 * (Example: Batch File Processing), with the blocking client: no `await`.
 *
 * Sessions start empty, so the script first puts the three sample files in
 * place. Run: npx tsx examples/batch-file-processing.ts
 */
import { AgentBay, AgentBayError, CreateSessionParams, type Session } from "effect-agentbay"

const processFiles = (session: Session, fileList: ReadonlyArray<string>): Array<string> => {
  const results: Array<string> = []
  for (const filePath of fileList) {
    // Read file
    const content = session.fileSystem.readFile(filePath)
    if (!content.success) throw new AgentBayError(content.errorMessage, content.failure)

    // Process
    const processed = content.content.toUpperCase()

    // Write back
    const written = session.fileSystem.writeFile(`${filePath}.processed`, processed)
    if (!written.success) throw new AgentBayError(written.errorMessage, written.failure)
    results.push(`Processed: ${filePath}`)
  }
  return results
}

// Usage
const agentBay = new AgentBay()
const created = agentBay.create(CreateSessionParams({ imageId: "code_latest" }))
if (!created.success) throw new AgentBayError(created.errorMessage, created.failure)
const session = created.session
try {
  const files = ["/tmp/file1.txt", "/tmp/file2.txt", "/tmp/file3.txt"]
  files.forEach((file, i) => {
    const seeded = session.fileSystem.writeFile(file, `hello from file ${i + 1}\n`)
    if (!seeded.success) throw new AgentBayError(seeded.errorMessage, seeded.failure)
  })

  const results = processFiles(session, files)
  for (const result of results) console.log(result)

  for (const file of files) {
    const processed = session.fileSystem.readFile(`${file}.processed`)
    console.log(`${file}.processed: ${JSON.stringify(processed.content)}`)
  }
} finally {
  agentBay.delete(session)
}
