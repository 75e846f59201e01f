// Finds many literal needles in one pass over a text, whatever their number: a rolling hash of a
// 4-character window checked in a bitmap, candidates confirmed with startsWith. Linear in the
// text. Used by secret-redactor.ts (every encoding of every secret, over a large tool result).

const WINDOW = 4;
/** A rolling hash of the last 4 characters: each shifts in 5 bits, 20 bits kept. */
const MASK = (1 << 20) - 1;
const roll = (h: number, code: number): number => ((h << 5) ^ code) & MASK;

export interface NeedleIndex {
  /** True when any needle occurs in `text`. */
  test(text: string): boolean;
  /** Every occurrence (overlapping ones too) as [start, end, needle number]. */
  all(text: string): [number, number, number][];
}

const hashAt = (text: string, i: number): number => {
  let h = 0;
  for (let k = 0; k < WINDOW; k++) h = roll(h, text.charCodeAt(i + k));
  return h;
};

/** `needles` must be at least 4 characters long; shorter ones are ignored. */
export function createNeedleIndex(needles: readonly string[]): NeedleIndex {
  const buckets = new Map<number, number[]>();
  const present = new Uint8Array(MASK + 1);
  needles.forEach((needle, n) => {
    if (needle.length < WINDOW) return;
    const h = hashAt(needle, 0);
    present[h] = 1;
    const list = buckets.get(h);
    if (list) list.push(n);
    else buckets.set(h, [n]);
  });

  const scan = (text: string, stopAtFirst: boolean): [number, number, number][] => {
    const out: [number, number, number][] = [];
    let h = 0;
    for (let j = 0; j < text.length; j++) {
      h = roll(h, text.charCodeAt(j));
      if (j < WINDOW - 1 || present[h] === 0) continue;
      const i = j - WINDOW + 1;
      for (const n of buckets.get(h) ?? []) {
        const needle = needles[n] ?? '';
        if (text.startsWith(needle, i)) {
          out.push([i, i + needle.length, n]);
          if (stopAtFirst) return out;
        }
      }
    }
    return out;
  };

  return { test: (text) => scan(text, true).length > 0, all: (text) => scan(text, false) };
}
