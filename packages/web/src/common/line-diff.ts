/** One line of a line diff. */
export interface DiffLine {
  readonly kind: 'same' | 'added' | 'removed';
  readonly text: string;
  /** Its number in the old text (same, removed). */
  readonly oldLine?: number;
  /** Its number in the new text (same, added). */
  readonly newLine?: number;
}

/** Past this many cells the middle of a diff is shown as removed-then-added, not aligned. */
const MAX_TABLE_CELLS = 4_000_000;

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split(/\r\n|\r|\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * A line diff of two texts: the longest common subsequence of lines, with the common head
 * and tail trimmed first (so a one-line change in a long policy costs almost nothing).
 */
export function diffLines(before: string, after: string): DiffLine[] {
  const a = splitLines(before);
  const b = splitLines(after);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  )
    tail++;

  const out: DiffLine[] = [];
  for (let i = 0; i < head; i++) out.push({ kind: 'same', text: a[i] ?? '', oldLine: i + 1, newLine: i + 1 });

  const aMid = a.slice(head, a.length - tail);
  const bMid = b.slice(head, b.length - tail);
  const n = aMid.length;
  const m = bMid.length;
  if ((n + 1) * (m + 1) > MAX_TABLE_CELLS) {
    for (const [i, text] of aMid.entries()) out.push({ kind: 'removed', text, oldLine: head + i + 1 });
    for (const [j, text] of bMid.entries()) out.push({ kind: 'added', text, newLine: head + j + 1 });
  } else {
    // lcs[i][j]: the LCS length of aMid[i..] and bMid[j..], in one flat array.
    const width = m + 1;
    const lcs = new Uint32Array((n + 1) * width);
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        lcs[i * width + j] =
          aMid[i] === bMid[j]
            ? (lcs[(i + 1) * width + j + 1] ?? 0) + 1
            : Math.max(lcs[(i + 1) * width + j] ?? 0, lcs[i * width + j + 1] ?? 0);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && aMid[i] === bMid[j]) {
        out.push({ kind: 'same', text: aMid[i] ?? '', oldLine: head + i + 1, newLine: head + j + 1 });
        i++;
        j++;
      } else if (i < n && (j === m || (lcs[(i + 1) * width + j] ?? 0) >= (lcs[i * width + j + 1] ?? 0))) {
        out.push({ kind: 'removed', text: aMid[i] ?? '', oldLine: head + i + 1 });
        i++;
      } else {
        out.push({ kind: 'added', text: bMid[j] ?? '', newLine: head + j + 1 });
        j++;
      }
    }
  }

  for (let k = tail; k > 0; k--) {
    const oldIndex = a.length - k;
    const newIndex = b.length - k;
    out.push({ kind: 'same', text: a[oldIndex] ?? '', oldLine: oldIndex + 1, newLine: newIndex + 1 });
  }
  return out;
}
