import { describe, expect, it, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { AgentBay } from "../src/effect.js"

describe("session.fileSystem", () => {
  layer(AgentBay.layerLocal(), { excludeTestServices: true })((it) => {
    it.scoped("write and read text and bytes, in every mode", () =>
      Effect.gen(function*() {
        const { fileSystem: fs } = yield* AgentBay.session()
        yield* fs.writeFile("/tmp/a.txt", "héllo ✓\n")
        expect(yield* fs.readFile("/tmp/a.txt")).toBe("héllo ✓\n")
        yield* fs.writeFile("/tmp/a.txt", "more\n", { mode: "append" })
        expect(yield* fs.readFile("/tmp/a.txt")).toBe("héllo ✓\nmore\n")
        yield* fs.writeFile("/tmp/a.txt", "replaced", { mode: "overwrite" })
        expect(yield* fs.readFile("/tmp/a.txt")).toBe("replaced")
        const exists = yield* Effect.flip(fs.writeFile("/tmp/a.txt", "x", { mode: "create_new" }))
        expect(exists._tag).toBe("FileExistsError")
        yield* fs.writeFile("/tmp/new.txt", "fresh", { mode: "create_new" })
        expect(yield* fs.readFile("/tmp/new.txt")).toBe("fresh")

        const bytes = new Uint8Array(256).map((_, i) => i)
        yield* fs.writeFile("/home/user/bin.dat", bytes)
        expect(yield* fs.readFile("/home/user/bin.dat", { format: "bytes" })).toEqual(bytes)
        // relative paths are relative to the home; parents are created
        yield* fs.writeFile("deep/er/file.txt", "nested")
        expect(yield* fs.readFile("/home/user/deep/er/file.txt")).toBe("nested")
        // an empty file
        yield* fs.writeFile("/tmp/empty", "")
        expect(yield* fs.readFile("/tmp/empty")).toBe("")
        expect(yield* fs.readFile("/tmp/empty", { format: "bytes" })).toEqual(new Uint8Array())
      }))

    it.scoped("large files cross in chunks, UTF-8 intact", () =>
      Effect.gen(function*() {
        const { fileSystem: fs, command } = yield* AgentBay.session()
        // 9 MiB of multi-byte text: more than one 8 MiB chunk, characters split at chunk borders
        const text = "ü€😀a".repeat(9 * 1024 * 1024 / 10)
        yield* fs.writeFile("/home/user/big.txt", text)
        const size = yield* command.executeCommand("stat -c %s big.txt")
        expect(Number(size.stdout)).toBe(Buffer.byteLength(text))
        expect(yield* fs.readFile("/home/user/big.txt")).toBe(text)
      }))

    it.scoped("directories: create, list, info, move, delete, search", () =>
      Effect.gen(function*() {
        const { fileSystem: fs } = yield* AgentBay.session()
        yield* fs.createDirectory("/home/user/project/src")
        yield* fs.createDirectory("/home/user/project/src") // exists: fine
        yield* fs.writeFile("/home/user/project/src/main.py", "print('main')\n")
        yield* fs.writeFile("/home/user/project/README.md", "# readme\n")
        expect(yield* fs.listDirectory("/home/user/project")).toEqual([
          { name: "README.md", isDirectory: false },
          { name: "src", isDirectory: true }
        ])
        const info = yield* fs.getFileInfo("/home/user/project/src/main.py")
        expect(info).toMatchObject({ name: "main.py", path: "/home/user/project/src/main.py", size: 14, isDirectory: false, mode: "0644" })
        expect(Date.parse(info.modTime)).toBeGreaterThan(Date.now() - 60_000)
        expect((yield* fs.getFileInfo("/home/user/project")).isDirectory).toBe(true)

        expect(yield* fs.searchFiles("/home/user/project", "*.py")).toEqual(["/home/user/project/src/main.py"])
        expect(yield* fs.searchFiles("/home/user/project", "read")).toEqual(["/home/user/project/README.md"])
        expect(yield* fs.searchFiles("/home/user/project", "*", { excludePatterns: ["src"] })).toEqual([
          "/home/user/project/README.md"
        ])
        expect(yield* fs.searchFiles("/home/user/project", "nothing-like-this")).toEqual([])

        yield* fs.moveFile("/home/user/project/README.md", "/home/user/project/src/README.md")
        const clash = yield* Effect.flip(fs.moveFile("/home/user/project/src/README.md", "/home/user/project/src/main.py"))
        expect(clash._tag).toBe("FileExistsError")
        // across file systems (/home/user and /tmp are separate)
        yield* fs.moveFile("/home/user/project/src", "/tmp/src")
        expect(yield* fs.listDirectory("/tmp/src")).toEqual([
          { name: "README.md", isDirectory: false },
          { name: "main.py", isDirectory: false }
        ])
        const notEmpty = yield* Effect.flip(fs.deleteFile("/tmp/src"))
        expect(notEmpty._tag).toBe("IsADirectoryError")
        yield* fs.deleteFile("/tmp/src/main.py")
        yield* fs.deleteFile("/tmp/src", { recursive: true })
        expect((yield* Effect.flip(fs.getFileInfo("/tmp/src")))._tag).toBe("FileNotFoundError")
      }))

    it.scoped("editFile and readMultipleFiles", () =>
      Effect.gen(function*() {
        const { fileSystem: fs } = yield* AgentBay.session()
        yield* fs.writeFile("/tmp/conf.ini", "a=1\nb=2\nc=3\n")
        const dry = yield* fs.editFile("/tmp/conf.ini", [{ oldText: "b=2", newText: "b=20" }], { dryRun: true })
        expect(dry).toContain("-b=2")
        expect(dry).toContain("+b=20")
        expect(yield* fs.readFile("/tmp/conf.ini")).toBe("a=1\nb=2\nc=3\n")
        yield* fs.editFile("/tmp/conf.ini", [{ oldText: "b=2", newText: "b=20" }, { oldText: "c=3\n", newText: "" }])
        expect(yield* fs.readFile("/tmp/conf.ini")).toBe("a=1\nb=20\n")
        const miss = yield* Effect.flip(fs.editFile("/tmp/conf.ini", [{ oldText: "zzz", newText: "y" }]))
        expect(miss._tag).toBe("InvalidArgumentError")

        yield* fs.writeFile("/tmp/one", "1\n---\nnot a separator")
        yield* fs.writeFile("/tmp/two", "2")
        expect(yield* fs.readMultipleFiles(["/tmp/one", "/tmp/two"])).toEqual({ "/tmp/one": "1\n---\nnot a separator", "/tmp/two": "2" })
        const missing = yield* Effect.flip(fs.readMultipleFiles(["/tmp/one", "/tmp/missing"]))
        expect(missing._tag).toBe("FileNotFoundError")
      }))

    it.scoped("typed errors: not found, not a directory, is a directory, exists, bad arguments, FIFOs, permissions", () =>
      Effect.gen(function*() {
        const { fileSystem: fs, command } = yield* AgentBay.session()
        yield* fs.writeFile("/tmp/file", "x")
        const notFound = yield* Effect.flip(fs.readFile("/tmp/nope"))
        expect(notFound).toMatchObject({ _tag: "FileNotFoundError", path: "/tmp/nope" })
        expect(notFound.message).toContain("/tmp/nope")
        expect((yield* Effect.flip(fs.listDirectory("/tmp/file")))._tag).toBe("NotADirectoryError")
        expect((yield* Effect.flip(fs.readFile("/tmp/file/below")))._tag).toBe("NotADirectoryError")
        expect((yield* Effect.flip(fs.readFile("/tmp")))._tag).toBe("IsADirectoryError")
        expect((yield* Effect.flip(fs.writeFile("/tmp", "x")))._tag).toBe("IsADirectoryError")
        expect((yield* Effect.flip(fs.createDirectory("/tmp/file")))._tag).toBe("FileExistsError")
        const nul = yield* Effect.flip(fs.readFile("/tmp/a\0b"))
        expect(nul._tag).toBe("InvalidArgumentError")
        const wrongType = yield* Effect.flip(fs.writeFile("/tmp/x", 42 as unknown as string))
        expect(wrongType._tag).toBe("InvalidArgumentError")
        expect(wrongType.message).toContain("content")
        // a FIFO does not hang a read
        yield* command.executeCommand("mkfifo /tmp/fifo")
        const fifo = yield* Effect.flip(fs.readFile("/tmp/fifo"))
        expect(fifo).toMatchObject({ _tag: "FileSystemError", reason: "NotRegularFile" })
        // permission
        yield* command.executeCommand("echo secret > locked && chmod 000 locked")
        const denied = yield* Effect.flip(fs.readFile("locked"))
        expect(denied).toMatchObject({ _tag: "FileSystemError", reason: "PermissionDenied" })
      }).pipe(Effect.scoped))

    it.scoped("paths outside the workspace are refused, symlinks and .. included", () =>
      Effect.gen(function*() {
        const { fileSystem: fs, command } = yield* AgentBay.session()
        for (const path of ["/etc/passwd", "/home/user/../../etc/passwd", "/tmp/../usr/bin/env", "/proc/self/environ", "/"]) {
          const error = yield* Effect.flip(fs.readFile(path))
          expect(error._tag).toBe("PathOutsideWorkspaceError")
          expect(error.message).toContain("/home/user")
        }
        // symlinks planted by code inside the session, to a file and to a directory outside
        yield* command.executeCommand("ln -s /etc/passwd link && ln -s /usr/bin bin && ln -s ../../etc up")
        for (const path of ["/home/user/link", "/home/user/bin/env", "/home/user/up/hosts"]) {
          expect((yield* Effect.flip(fs.readFile(path)))._tag).toBe("PathOutsideWorkspaceError")
        }
        expect((yield* Effect.flip(fs.writeFile("/home/user/bin/evil", "x")))._tag).toBe("PathOutsideWorkspaceError")
        expect((yield* Effect.flip(fs.listDirectory("/home/user/up")))._tag).toBe("PathOutsideWorkspaceError")
        expect((yield* Effect.flip(fs.moveFile("/home/user/link", "/usr/x")))._tag).toBe("PathOutsideWorkspaceError")
        expect((yield* Effect.flip(fs.deleteFile("/home/user")))._tag).toBe("PathOutsideWorkspaceError")
        // the link itself may be deleted (it is in the workspace), its target is untouched
        yield* fs.deleteFile("/home/user/link")
        // a symlink inside the workspace works
        yield* command.executeCommand("echo inside > real.txt && ln -s real.txt alias")
        expect(yield* fs.readFile("/home/user/alias")).toBe("inside\n")
      }))
  })
})

describe("the workspace's disk limit", () => {
  it.scoped("a full workspace is a NoSpace error, and the session stays usable", () =>
    Effect.gen(function*() {
      const { fileSystem: fs, command } = yield* AgentBay.session()
      yield* fs.writeFile("/home/user/big", new Uint8Array(1536 * 1024))
      const error = yield* Effect.flip(fs.writeFile("/home/user/big2", new Uint8Array(1536 * 1024)))
      expect(error._tag === "FileSystemError" && error.reason).toBe("NoSpace")
      expect(error.message).toContain("workspace is full")
      // one file larger than the file size limit (by default, the disk limit)
      const tooLarge = yield* Effect.flip(fs.writeFile("/tmp/huge", new Uint8Array(3 * 1024 * 1024)))
      expect(tooLarge._tag === "FileSystemError" && tooLarge.reason).toBe("TooLarge")
      const dd = yield* command.executeCommand("dd if=/dev/zero of=/tmp/fill bs=1M count=4")
      expect(dd.exitCode).not.toBe(0)
      expect(dd.stderr).toContain("No space left")
      yield* fs.deleteFile("/home/user/big")
      yield* fs.deleteFile("/home/user/big2")
      yield* fs.writeFile("/home/user/small", "ok")
      expect(yield* fs.readFile("/home/user/small")).toBe("ok")
    }).pipe(Effect.provide(AgentBay.layerLocal({ diskBytes: 2 * 1024 * 1024 }))))
})
