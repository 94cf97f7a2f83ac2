/**
 * The matches not inside a longer one (停息 in 停息挂账 adds nothing to the page), in start order:
 * one sweep, so a block's cost stays linear in its matches (a spammer's wall of text has tens of
 * thousands). Matches come sorted by start from the scorer; others are sorted first.
 */
export function outermost<T extends { start: number; end: number }>(matches: readonly T[]): T[] {
  let sorted = matches;
  for (let i = 1; i < matches.length; i++) {
    if (matches[i]!.start < matches[i - 1]!.start) {
      sorted = [...matches].sort((a, b) => a.start - b.start);
      break;
    }
  }
  const out: T[] = [];
  // The furthest end before the current start, and the earliest start of a match reaching it.
  let maxEnd = -1;
  let maxEndStart = -1;
  for (let i = 0; i < sorted.length;) {
    // A group of matches starting at the same offset: the longest of them may contain the others.
    const start = sorted[i]!.start;
    let j = i;
    let groupEnd = -1;
    while (j < sorted.length && sorted[j]!.start === start)
      groupEnd = Math.max(groupEnd, sorted[j++]!.end);
    for (let k = i; k < j; k++) {
      const m = sorted[k]!;
      const inside =
        maxEnd > m.end || (maxEnd === m.end && maxEndStart < m.start) || groupEnd > m.end;
      if (!inside) out.push(m);
    }
    if (groupEnd > maxEnd) {
      maxEnd = groupEnd;
      maxEndStart = start;
    }
    i = j;
  }
  return out;
}
