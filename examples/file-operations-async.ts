/**
 * Twin of the guide's "Troubleshooting > Issue 3: File Operations Not Working
 * in Async". That "known limitation" of the Python SDK does not exist here:
 * `session.fileSystem.writeFile` / `readFile` (and every other file
 * operation) are fully async in the Promise client, like all its methods.
 * Await them, and run them concurrently if you like; no workaround needed.
 * Run: npx tsx examples/file-operations-async.ts
 */
import { AgentBayError, AsyncAgentBay } from "effect-agentbay"

const agentBay = new AsyncAgentBay()
const created = await agentBay.create()
if (!created.success) throw new AgentBayError(created.errorMessage, created.failure)
await using session = created.session

console.log("No known limitation here: writeFile and readFile are fully async, just await them")

// Await them like anything else
const pending = session.fileSystem.writeFile("/tmp/file.txt", "content")
console.log(`writeFile returns a Promise: ${pending instanceof Promise}`)
const written = await pending
const content = await session.fileSystem.readFile("/tmp/file.txt")
console.log(`write: ${written.success}; read back: ${JSON.stringify(content.content)}`)

// Concurrently, too
const names = ["a", "b", "c"].map((name) => `/home/user/${name}.txt`)
await Promise.all(names.map((path, i) => session.fileSystem.writeFile(path, `file ${i}`)))
const read = await Promise.all(names.map((path) => session.fileSystem.readFile(path)))
console.log(`concurrent writes and reads: ${read.map((r) => (r.success ? r.content : r.errorMessage)).join(", ")}`)

// The guide's workaround still works, but is not needed
await session.command.executeCommand("echo 'content' > /tmp/file2.txt")
const viaCommand = await session.fileSystem.readFile("/tmp/file2.txt")
console.log(`via a command: ${JSON.stringify(viaCommand.content)}`)

// File operations work inside the session's /home/user and /tmp only
const outside = await session.fileSystem.writeFile("/etc/motd", "no")
console.log(`writing /etc/motd: success ${outside.success} (${outside.failure?._tag})`)
