import * as path from "node:path"
import { defineConfig } from "vitest/config"

export default defineConfig({
  resolve: {
    alias: [
      { find: /^effect-agentbay\/effect$/, replacement: path.resolve(__dirname, "src/effect.ts") },
      { find: /^effect-agentbay$/, replacement: path.resolve(__dirname, "src/index.ts") }
    ]
  },
  test: {
    include: ["test/**/*.test.ts"],
    pool: "forks",
    testTimeout: 60_000,
    hookTimeout: 60_000,
    globalSetup: ["test/globalSetup.ts"],
    reporters: ["default", "json"],
    outputFile: { json: "node_modules/.cache/effect-agentbay/vitest-report.json" }
  }
})
