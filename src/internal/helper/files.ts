/**
 * AgentBay's file tools (the MCP filesystem vocabulary), executed inside the
 * sandbox. Paths are the sandbox's own; every path is resolved (symlinks
 * included) and must stay inside the allowed roots, as the MCP filesystem
 * server does. Inside the mount namespace a symlink can only name sandbox
 * paths, so a race between the check and the use cannot reach the host.
 *
 * Errors are thrown as `Error`s whose message starts with a Node errno code
 * (`ENOENT: ...`) or with one of the markers below; the host classifies them.
 *
 * @internal
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { unifiedDiff } from "./diff.js"

/** Marker of a refused path (same words as the MCP filesystem server). */
export const OUTSIDE = "Access denied - path outside allowed directories"
/** Marker of bad arguments. */
export const INVALID = "Invalid arguments"

const fail = (code: string, message: string): never => {
  throw Object.assign(new Error(`${code}: ${message}`), { code })
}

/** The file tools, bound to the session's roots. */
export class FileTools {
  constructor(private readonly roots: ReadonlyArray<string>, private readonly home: string) {}

  private inRoots(p: string): boolean {
    return this.roots.some((root) => p === root || p.startsWith(root.endsWith("/") ? root : `${root}/`))
  }

  /** Validates a path argument and returns its absolute, symlink-free form. */
  private check(raw: unknown, what: string): string {
    if (typeof raw !== "string" || raw.length === 0) fail(INVALID, `${what} must be a non-empty string`)
    const input = raw as string
    if (input.includes("\0")) fail(INVALID, `${what} contains a NUL byte`)
    if (Buffer.byteLength(input) > 4096) fail("ENAMETOOLONG", `${what} is longer than 4096 bytes`)
    return input
  }

  resolve(raw: unknown, what = "path"): string {
    const input = this.check(raw, what)
    const absolute = path.posix.resolve(this.home, input)
    const deny = () => fail(OUTSIDE, `${input} not in ${this.roots.join(", ")}`)
    if (!this.inRoots(absolute)) deny()
    const real = resolveLinks(absolute)
    if (!this.inRoots(real)) deny()
    return real
  }

  /**
   * Validates a path naming a directory entry itself (to move or delete it):
   * the parent is resolved, the last component is not, so a symlink is
   * handled as the link it is. Workspace roots cannot be moved or deleted.
   */
  private entry(raw: unknown, what = "path"): string {
    const absolute = path.posix.resolve(this.home, this.check(raw, what))
    if (this.roots.includes(absolute)) fail(OUTSIDE, `${absolute} is a workspace root and cannot be moved or deleted`)
    const parent = this.resolve(path.posix.dirname(absolute), what)
    return path.posix.join(parent, path.posix.basename(absolute))
  }

  /** Opens a regular file without blocking on FIFOs or devices. */
  private openRegular(p: string): number {
    const fd = fs.openSync(p, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | fs.constants.O_NOCTTY)
    const stat = fs.fstatSync(fd)
    if (stat.isDirectory()) {
      fs.closeSync(fd)
      fail("EISDIR", `illegal operation on a directory, read '${p}'`)
    }
    if (!stat.isFile()) {
      fs.closeSync(fd)
      fail("EINVAL", `not a regular file, read '${p}'`)
    }
    return fd
  }

  readFile(args: Record<string, unknown>): string {
    const p = this.resolve(args.path)
    const binary = args.format === "binary"
    const fd = this.openRegular(p)
    try {
      const size = fs.fstatSync(fd).size
      const offset = numberArg(args.offset, "offset") ?? 0
      const length = numberArg(args.length, "length") ?? Math.max(0, size - offset)
      const buffer = Buffer.alloc(Math.max(0, Math.min(length, Math.max(0, size - offset))))
      let read = 0
      while (read < buffer.length) {
        const n = fs.readSync(fd, buffer, read, buffer.length - read, offset + read)
        if (n === 0) break
        read += n
      }
      const data = buffer.subarray(0, read)
      return binary ? data.toString("base64") : data.toString("utf8")
    } finally {
      fs.closeSync(fd)
    }
  }

  writeFile(args: Record<string, unknown>): string {
    const p = this.resolve(args.path)
    if (typeof args.content !== "string") fail(INVALID, "content must be a string")
    const mode = args.mode ?? "overwrite"
    const flags = mode === "overwrite"
      ? "w"
      : mode === "append"
      ? "a"
      : mode === "create_new"
      ? "wx"
      : fail(INVALID, `mode must be overwrite, append or create_new, not ${String(mode)}`)
    const data = args.format === "binary" ? Buffer.from(args.content as string, "base64") : Buffer.from(args.content as string, "utf8")
    fs.mkdirSync(path.posix.dirname(p), { recursive: true })
    if (fs.existsSync(p) && !fs.lstatSync(p).isFile()) {
      fs.lstatSync(p).isDirectory() ? fail("EISDIR", `illegal operation on a directory, open '${p}'`) : fail("EINVAL", `not a regular file, open '${p}'`)
    }
    fs.writeFileSync(p, data, { flag: flags as string })
    return `Successfully wrote to ${p}`
  }

  listDirectory(args: Record<string, unknown>): string {
    const p = this.resolve(args.path)
    const entries = fs.readdirSync(p, { withFileTypes: true })
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((entry) => {
        let isDirectory = entry.isDirectory()
        if (entry.isSymbolicLink()) {
          try {
            isDirectory = fs.statSync(path.posix.join(p, entry.name)).isDirectory()
          } catch {
            isDirectory = false
          }
        }
        return { name: entry.name, isDirectory }
      })
    if (args.output === "json") return JSON.stringify(entries)
    return entries.map((e) => `${e.isDirectory ? "[DIR]" : "[FILE]"} ${e.name}`).join("\n")
  }

  createDirectory(args: Record<string, unknown>): string {
    const p = this.resolve(args.path)
    if (fs.existsSync(p) && !fs.statSync(p).isDirectory()) fail("EEXIST", `file already exists, mkdir '${p}'`)
    fs.mkdirSync(p, { recursive: true })
    return `Successfully created directory ${p}`
  }

  moveFile(args: Record<string, unknown>): string {
    const source = this.entry(args.source, "source")
    const destination = this.entry(args.destination, "destination")
    fs.lstatSync(source)
    if (fs.existsSync(destination) || isLink(destination)) fail("EEXIST", `destination already exists, rename '${source}' -> '${destination}'`)
    if (destination.startsWith(`${source}/`)) fail(INVALID, `cannot move ${source} into itself`)
    try {
      fs.renameSync(source, destination)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EXDEV") throw error
      // across the /home/user and /tmp file systems: copy, then remove
      fs.cpSync(source, destination, { recursive: true, errorOnExist: true, force: false, verbatimSymlinks: true })
      fs.rmSync(source, { recursive: true })
    }
    return `Successfully moved ${source} to ${destination}`
  }

  deleteFile(args: Record<string, unknown>): string {
    const p = this.entry(args.path)
    const stat = fs.lstatSync(p)
    if (stat.isDirectory()) {
      if (args.recursive !== true) fail("EISDIR", `illegal operation on a directory, unlink '${p}' (pass recursive to delete a directory)`)
      fs.rmSync(p, { recursive: true })
    } else {
      fs.unlinkSync(p)
    }
    return `Successfully deleted ${p}`
  }

  getFileInfo(args: Record<string, unknown>): string {
    const p = this.resolve(args.path)
    const stat = fs.statSync(p)
    const info = {
      name: path.posix.basename(p),
      path: p,
      size: stat.size,
      isDirectory: stat.isDirectory(),
      modTime: stat.mtime.toISOString(),
      mode: (stat.mode & 0o7777).toString(8).padStart(4, "0"),
      owner: stat.uid === process.getuid?.() ? "user" : String(stat.uid),
      group: stat.gid === process.getgid?.() ? "user" : String(stat.gid)
    }
    if (args.output === "json") return JSON.stringify(info)
    return Object.entries(info).map(([k, v]) => `${k}: ${v}`).join("\n")
  }

  searchFiles(args: Record<string, unknown>): string {
    const root = this.resolve(args.path)
    if (typeof args.pattern !== "string" || args.pattern.length === 0) fail(INVALID, "pattern must be a non-empty string")
    const match = globMatcher(args.pattern as string)
    const excludes = (Array.isArray(args.excludePatterns) ? args.excludePatterns : []).filter((x): x is string => typeof x === "string").map(globMatcher)
    const matches: Array<string> = []
    const limit = 10_000
    const walk = (dir: string, relative: string): void => {
      let entries: Array<fs.Dirent>
      try {
        entries = fs.readdirSync(dir, { withFileTypes: true })
      } catch {
        return
      }
      for (const entry of entries) {
        if (matches.length >= limit) return
        const rel = relative === "" ? entry.name : `${relative}/${entry.name}`
        if (excludes.some((ex) => ex(entry.name) || ex(rel))) continue
        const full = path.posix.join(dir, entry.name)
        if (match(entry.name) || match(rel)) matches.push(full)
        if (entry.isDirectory()) walk(full, rel)
      }
    }
    if (!fs.statSync(root).isDirectory()) fail("ENOTDIR", `not a directory, scandir '${root}'`)
    walk(root, "")
    if (args.output === "json") return JSON.stringify(matches)
    return matches.length === 0 ? "No matches found" : matches.join("\n")
  }

  editFile(args: Record<string, unknown>): string {
    const p = this.resolve(args.path)
    if (!Array.isArray(args.edits)) fail(INVALID, "edits must be a list of {oldText, newText}")
    const fd = this.openRegular(p)
    let original: string
    try {
      original = fs.readFileSync(fd, "utf8")
    } finally {
      fs.closeSync(fd)
    }
    let content = original
    for (const edit of args.edits as Array<unknown>) {
      const { oldText, newText } = (edit ?? {}) as { oldText?: unknown; newText?: unknown }
      if (typeof oldText !== "string" || typeof newText !== "string" || oldText.length === 0) {
        fail(INVALID, "each edit needs a non-empty string oldText and a string newText")
      }
      const at = content.indexOf(oldText as string)
      if (at < 0) fail(INVALID, `could not find exact match for edit:\n${oldText as string}`)
      content = content.slice(0, at) + (newText as string) + content.slice(at + (oldText as string).length)
    }
    const diff = unifiedDiff(p, original, content)
    if (args.dryRun !== true) fs.writeFileSync(p, content)
    return diff
  }

  readMultipleFiles(args: Record<string, unknown>): string {
    if (!Array.isArray(args.paths)) fail(INVALID, "paths must be a list of strings")
    const results = (args.paths as Array<unknown>).map((raw) => {
      const shown = String(raw)
      try {
        return { path: shown, content: this.readFile({ path: raw }) }
      } catch (error) {
        return { path: shown, error: (error as Error).message }
      }
    })
    if (args.output === "json") return JSON.stringify(results)
    return results
      .map((r) => ("error" in r ? `${r.path}: Error - ${r.error}` : `${r.path}:\n${r.content}\n`))
      .join("\n---\n")
  }
}

/**
 * Resolves every symlink of an absolute path, as the kernel would to open it,
 * including a dangling last link (whose target a write would create). Parts
 * that do not exist yet are kept as they are.
 */
const resolveLinks = (absolute: string): string => {
  let pending = absolute.split("/").filter((c) => c.length > 0)
  let resolved = "/"
  let links = 0
  let missing = false
  while (pending.length > 0) {
    const name = pending.shift()!
    if (name === ".") continue
    if (name === "..") {
      resolved = path.posix.dirname(resolved)
      continue
    }
    const next = path.posix.join(resolved, name)
    if (missing) {
      resolved = next
      continue
    }
    let stat: fs.Stats
    try {
      stat = fs.lstatSync(next)
    } catch {
      missing = true
      resolved = next
      continue
    }
    if (stat.isSymbolicLink()) {
      if (++links > 40) fail("ELOOP", `too many levels of symbolic links, resolving '${absolute}'`)
      const target = fs.readlinkSync(next)
      pending = [...target.split("/").filter((c) => c.length > 0), ...pending]
      if (target.startsWith("/")) resolved = "/"
      continue
    }
    resolved = next
  }
  return resolved
}

const isLink = (p: string): boolean => {
  try {
    return fs.lstatSync(p).isSymbolicLink()
  } catch {
    return false
  }
}

const numberArg = (value: unknown, name: string): number | undefined => {
  if (value === undefined || value === null) return undefined
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) fail(INVALID, `${name} must be a non-negative integer`)
  return value as number
}

/** A glob (`*`, `?`, `**`, `[...]`) matcher; a pattern without wildcards matches as a case-insensitive substring. */
export const globMatcher = (pattern: string): ((name: string) => boolean) => {
  if (!/[*?[]/.test(pattern)) {
    const needle = pattern.toLowerCase()
    return (name) => name.toLowerCase().includes(needle)
  }
  let source = ""
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!
    if (c === "*") {
      if (pattern[i + 1] === "*") {
        source += ".*"
        i++
        if (pattern[i + 1] === "/") i++
      } else {
        source += "[^/]*"
      }
    } else if (c === "?") {
      source += "[^/]"
    } else if (c === "[") {
      const end = pattern.indexOf("]", i + 1)
      if (end < 0) source += "\\["
      else {
        source += `[${pattern.slice(i + 1, end).replace(/^!/, "^").replace(/\\/g, "\\\\")}]`
        i = end
      }
    } else {
      source += c.replace(/[.+^${}()|\\]/g, "\\$&")
    }
  }
  const regex = new RegExp(`^${source}$`)
  return (name) => regex.test(name)
}
