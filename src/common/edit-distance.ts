// Edit distance between two short names (identifiers, config keys): insertions, deletions,
// substitutions and swaps of two neighbouring characters each cost 1 (optimal string alignment).
// Pure; imported by config/ (did-you-mean for keys) and catalog/ (did-you-mean for operations).

export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const width = b.length + 1;
  // Three rows: the swap of two neighbours looks two rows back.
  let before = new Int32Array(width);
  let previous = new Int32Array(width);
  let current = new Int32Array(width);
  for (let j = 0; j < width; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    const ai = a.charCodeAt(i - 1);
    for (let j = 1; j < width; j++) {
      const bj = b.charCodeAt(j - 1);
      let best = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (ai === bj ? 0 : 1));
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === bj) best = Math.min(best, before[j - 2]! + 1);
      current[j] = best;
    }
    [before, previous, current] = [previous, current, before];
  }
  return previous[b.length]!;
}
