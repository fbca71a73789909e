/**
 * A small line diff in unified format, for `edit_file`'s answer. Edits are
 * local, so the common head and tail are trimmed before an LCS of the middle.
 *
 * @internal
 */

const CONTEXT = 3
const MAX_MIDDLE = 4_000

type Line = { readonly op: " " | "-" | "+"; readonly text: string; readonly a: number; readonly b: number }

const middleOps = (a: ReadonlyArray<string>, b: ReadonlyArray<string>): Array<" " | "-" | "+"> => {
  if (a.length > MAX_MIDDLE || b.length > MAX_MIDDLE) {
    return [...a.map(() => "-" as const), ...b.map(() => "+" as const)]
  }
  const n = a.length
  const m = b.length
  const lcs: Array<Uint32Array> = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1))
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!)
    }
  }
  const ops: Array<" " | "-" | "+"> = []
  let i = 0
  let j = 0
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      ops.push(" ")
      i++
      j++
    } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) {
      ops.push("-")
      i++
    } else {
      ops.push("+")
      j++
    }
  }
  while (i++ < n) ops.push("-")
  while (j++ < m) ops.push("+")
  return ops
}

/** The unified diff between `before` and `after`, headed with `name`; "" when they are equal. */
export const unifiedDiff = (name: string, before: string, after: string): string => {
  if (before === after) return ""
  const a = before.split("\n")
  const b = after.split("\n")
  let head = 0
  while (head < a.length && head < b.length && a[head] === b[head]) head++
  let tail = 0
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++
  const lines: Array<Line> = []
  for (let k = 0; k < head; k++) lines.push({ op: " ", text: a[k]!, a: k, b: k })
  let ai = head
  let bi = head
  for (const op of middleOps(a.slice(head, a.length - tail), b.slice(head, b.length - tail))) {
    if (op === " ") lines.push({ op, text: a[ai]!, a: ai++, b: bi++ })
    else if (op === "-") lines.push({ op, text: a[ai]!, a: ai++, b: bi })
    else lines.push({ op, text: b[bi]!, a: ai, b: bi++ })
  }
  for (let k = 0; k < tail; k++) lines.push({ op: " ", text: a[ai]!, a: ai++, b: bi++ })
  const out = [`--- ${name}\toriginal`, `+++ ${name}\tmodified`]
  let k = 0
  while (k < lines.length) {
    if (lines[k]!.op === " ") {
      k++
      continue
    }
    let start = Math.max(0, k - CONTEXT)
    let end = k
    // extend the hunk while changes are closer than 2 * CONTEXT lines
    for (;;) {
      while (end < lines.length && lines[end]!.op !== " ") end++
      let next = end
      while (next < lines.length && lines[next]!.op === " ") next++
      if (next < lines.length && next - end <= 2 * CONTEXT) end = next
      else break
    }
    const stop = Math.min(lines.length, end + CONTEXT)
    const hunk = lines.slice(start, stop)
    const aCount = hunk.filter((l) => l.op !== "+").length
    const bCount = hunk.filter((l) => l.op !== "-").length
    out.push(`@@ -${hunk[0]!.a + 1},${aCount} +${hunk[0]!.b + 1},${bCount} @@`)
    for (const l of hunk) out.push(`${l.op}${l.text}`)
    k = stop
    start = stop
  }
  return `${out.join("\n")}\n`
}
