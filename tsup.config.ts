import { defineConfig } from "tsup"

export default defineConfig([
  {
    entry: { index: "src/index.ts", effect: "src/effect.ts", cli: "src/cli.ts" },
    format: ["esm", "cjs"],
    dts: true,
    clean: false,
    shims: true,
    target: "node20",
    splitting: true,
    sourcemap: true,
    external: ["effect", "esbuild"]
  },
  {
    // separately bundled entry points, found at run time next to the package's files
    entry: { "sandbox-helper": "src/internal/helper/main.ts", "blocking-worker": "src/internal/blocking/worker.ts" },
    format: ["cjs"],
    outExtension: () => ({ js: ".cjs" }),
    target: "node20",
    // self-contained: the worker's cold start loads one file, not a module graph
    noExternal: [/.*/],
    minify: true,
    shims: true,
    clean: false
  }
])
