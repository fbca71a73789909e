import { describe, expect, it, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { AgentBay } from "../src/effect.js"
import { uniqueSleep, waitGone } from "./util.js"

describe("session.code.runCode", () => {
  layer(AgentBay.layerLocal(), { excludeTestServices: true })((it) => {
    it.scoped("python: stdout, a trailing expression as main result, AgentBay's shape", () =>
      Effect.gen(function*() {
        const session = yield* AgentBay.session()
        const result = yield* session.code.runCode("import sys\nprint('hello')\nprint('warn', file=sys.stderr)\n6 * 7", "python")
        expect(result.result).toBe("42")
        expect(result.logs).toEqual({ stdout: ["hello\n"], stderr: ["warn\n"] })
        expect(result.results).toEqual([{ text: "42", isMainResult: true }])
        expect(result.error).toBeUndefined()
        expect(result.executionTime).toBeGreaterThan(0)
        // without a trailing expression the result is stdout
        const printed = yield* session.code.runCode("print('only output')", "python3")
        expect(printed.result).toBe("only output\n")
        expect(printed.results).toEqual([])
      }))

    it.scoped("javascript and its aliases; top-level await", () =>
      Effect.gen(function*() {
        const session = yield* AgentBay.session()
        for (const language of ["javascript", "js", "node", "nodejs", "JavaScript"]) {
          const result = yield* session.code.runCode("console.log('hi'); ({ a: 1 })", language)
          expect(result.result).toBe("{ a: 1 }")
          expect(result.logs.stdout).toEqual(["hi\n"])
        }
        const awaited = yield* session.code.runCode("const v = await Promise.resolve(5); console.log(v * 2)", "js")
        expect(awaited.logs.stdout).toEqual(["10\n"])
        expect(awaited.error).toBeUndefined()
        const required = yield* session.code.runCode("require('node:os').userInfo().username", "js")
        expect(required.result).toBe("'user'")
      }))

    it.scoped("exceptions are data: error name, value and traceback", () =>
      Effect.gen(function*() {
        const session = yield* AgentBay.session()
        const py = yield* session.code.runCode("print('before')\nraise ValueError('bad value')", "py")
        expect(py.error?.name).toBe("ValueError")
        expect(py.error?.value).toBe("bad value")
        expect(py.error?.traceback).toContain("Traceback (most recent call last)")
        expect(py.error?.traceback).not.toContain("<string>")
        expect(py.logs.stdout).toEqual(["before\n"])
        const syntax = yield* session.code.runCode("def (", "python")
        expect(syntax.error?.name).toBe("SyntaxError")
        const js = yield* session.code.runCode("throw new TypeError('bad type')", "javascript")
        expect(js.error?.name).toBe("TypeError")
        expect(js.error?.value).toBe("bad type")
        const exit = yield* session.code.runCode("import sys; sys.exit(3)", "python")
        expect(exit.error?.name).toBe("ExitError")
        const clean = yield* session.code.runCode("import sys; sys.exit(0)", "python")
        expect(clean.error).toBeUndefined()
      }))

    it.scoped("code runs in the session: it sees the session's files", () =>
      Effect.gen(function*() {
        const session = yield* AgentBay.session()
        yield* session.fileSystem.writeFile("/home/user/data.txt", "1 2 3")
        const result = yield* session.code.runCode("sum(int(x) for x in open('data.txt').read().split())", "python")
        expect(result.result).toBe("6")
      }))

    it.scoped("a timeout kills the run and is reported as a TimeoutError in the result", () =>
      Effect.gen(function*() {
        const session = yield* AgentBay.session()
        const sleep = uniqueSleep()
        const result = yield* session.code.runCode(
          `import subprocess, time\nsubprocess.Popen(['sleep', '${sleep}'])\ntime.sleep(100)`,
          "python",
          { timeoutMs: 700 }
        )
        expect(result.error?.name).toBe("TimeoutError")
        expect(yield* waitGone(`sleep ${sleep}`, 200)).toEqual([])
      }))

    it.scoped("an unsupported language is a typed error", () =>
      Effect.gen(function*() {
        const session = yield* AgentBay.session()
        const error = yield* Effect.flip(session.code.runCode("puts 1", "ruby"))
        expect(error._tag).toBe("UnsupportedLanguageError")
        expect(error.message).toContain("python")
        expect(error.message).toContain("javascript")
      }))
  })

  it.scoped("without python3 in the sandbox, python is an unsupported language that says how to fix it", () =>
    Effect.gen(function*() {
      const session = yield* AgentBay.session()
      const error = yield* Effect.flip(session.code.runCode("1", "python"))
      expect(error._tag).toBe("UnsupportedLanguageError")
      expect(error.message).toContain("apt-get install -y python3")
      // javascript still works
      expect((yield* session.code.runCode("1 + 1", "js")).result).toBe("2")
    }).pipe(Effect.provide(AgentBay.layerLocal({ pythonPath: null }))))
})
