/**
 * The engine on the local backend: a command on a live session against a raw
 * host spawn of the same command (the floor) and a fresh bwrap per call;
 * session create + delete; a file write + read round trip.
 */
import { spawn } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { Effect, ManagedRuntime } from "effect"
import { AgentBay } from "effect-agentbay/effect"
import { type Comparison, measure, printTable, writeResults } from "./harness.js"

const COMMAND = "echo hi"
const DATA = "0123456789abcdef0123456789abcdef"

const spawnAndWait = (command: string, args: ReadonlyArray<string>) =>
  new Promise<void>((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], env: { PATH: "/usr/bin:/bin" } })
    child.stdout.resume()
    child.stderr.resume()
    child.on("error", reject)
    child.on("close", () => resolve())
  })

const BWRAP = [
  "--unshare-all", "--unshare-user", "--disable-userns", "--die-with-parent", "--new-session", "--cap-drop", "ALL",
  "--clearenv", "--setenv", "PATH", "/usr/bin:/bin", "--ro-bind", "/usr", "/usr", "--symlink", "usr/bin", "/bin",
  "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64", "--proc", "/proc", "--dev", "/dev",
  "--tmpfs", "/tmp", "--remount-ro", "/"
]

export const run = async (rounds: number) => {
  const runtime = ManagedRuntime.make(AgentBay.layerLocal())
  const bay = await runtime.runPromise(AgentBay.AgentBay)
  const session = await runtime.runPromise(bay.create())
  const exec = () => runtime.runPromise(session.command.executeCommand(COMMAND)).then(() => undefined)
  const stats = await measure([
    { name: `host spawn: sh -c "${COMMAND}" (floor)`, run: () => spawnAndWait("/bin/sh", ["-c", COMMAND]) },
    { name: `live session: executeCommand("${COMMAND}")`, run: exec },
    { name: `fresh bwrap per call: sh -c "${COMMAND}"`, run: () => spawnAndWait("/usr/bin/bwrap", [...BWRAP, "/bin/sh", "-c", COMMAND]) },
  ], rounds)
  // file operations spawn nothing: measured apart from the spawning cases, whose
  // forks disturb whatever runs right after them
  const hostFile = path.join(os.tmpdir(), `effect-agentbay-bench-${process.pid}.txt`)
  const fileStats = await measure([
    {
      name: "host fs: writeFile + readFile (32 bytes)",
      run: () => fs.promises.writeFile(hostFile, DATA).then(() => fs.promises.readFile(hostFile, "utf8")).then(() => undefined)
    },
    {
      name: "session: writeFile + readFile (32 bytes)",
      run: () =>
        runtime.runPromise(Effect.zipRight(
          session.fileSystem.writeFile("/tmp/bench.txt", DATA),
          session.fileSystem.readFile("/tmp/bench.txt")
        )).then(() => undefined)
    }
  ], rounds * 3)
  fs.rmSync(hostFile, { force: true })
  const lifecycle = await measure([
    { name: "session create + delete", run: () => runtime.runPromise(Effect.flatMap(bay.create(), (s) => s.delete())) }
  ], Math.max(10, Math.floor(rounds / 4)), 2)
  await runtime.runPromise(session.delete())
  await runtime.dispose()

  const [floor, live, fresh] = stats as [typeof stats[0], typeof stats[0], typeof stats[0]]
  const [hostFiles, files] = fileStats as [typeof stats[0], typeof stats[0]]
  const [createDelete] = lifecycle as [typeof lifecycle[0]]
  const comparisons: Array<Comparison> = [
    { name: "command on a live session", medianMs: live.medianMs, baseline: "host spawn", ratio: live.medianMs / floor.medianMs, target: "≤ 1.2×", met: live.medianMs / floor.medianMs <= 1.2 },
    { name: "fresh bwrap per call", medianMs: fresh.medianMs, baseline: "host spawn", ratio: fresh.medianMs / floor.medianMs, target: "(for contrast)", met: true },
    { name: "session create + delete", medianMs: createDelete.medianMs, baseline: "host spawn", ratio: createDelete.medianMs / floor.medianMs, target: "≤ 150 ms", met: createDelete.medianMs <= 150 },
    { name: "file write + read", medianMs: files.medianMs, baseline: "host fs", ratio: files.medianMs / hostFiles.medianMs, target: "≤ 2 ms", met: files.medianMs <= 2 }
  ]
  printTable("Engine, local backend", [...stats, ...fileStats, ...lifecycle], comparisons)
  writeResults("engine", { stats: [...stats, ...fileStats, ...lifecycle], comparisons })
  return comparisons
}
