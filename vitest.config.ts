import { defineConfig } from "vitest/config"

export default defineConfig({
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
