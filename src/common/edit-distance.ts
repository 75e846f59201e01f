// Edit distance between two short names (identifiers, config keys): insertions, deletions,
// substitutions and swaps of two neighbouring characters each cost 1 (optimal string alignment).
// Pure; imported by config/ (did-you-mean for keys) and catalog/ (did-you-mean for operations).

export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  // Three rows: the swap of two neighbours looks two rows back.
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, (before[j - 2] ?? 0) + 1);
      current.push(best);
    }
    before = previous;
    previous = current;
  }
  return previous[b.length] ?? 0;
}
