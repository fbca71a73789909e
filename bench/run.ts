/**
 * `npm run bench`: every benchmark, a table each, all numbers in bench/results.json.
 * `BENCH_ROUNDS` sets the rounds (default 100).
 */
import * as doors from "./doors.js"
import * as engine from "./engine.js"

const rounds = Number(process.env.BENCH_ROUNDS ?? 100)
const comparisons = [...(await engine.run(rounds)), ...(await doors.run(rounds))]
const missed = comparisons.filter((c) => !c.met)
console.log(missed.length === 0 ? "\nall targets met" : `\ntargets missed: ${missed.map((c) => c.name).join(", ")}`)
