// "Did you mean" for config keys: the closest known key by edit distance (case-insensitive), and
// a strict zod object whose unknown-key error names the nearest key and the keys it takes.
// Imported by the config schemas only.
import { z } from 'zod';
import { editDistance } from '../common/index.js';

/** The candidate nearest to `word`, when it is close enough to be a likely misspelling. */
export function closestMatch(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const allowed = Math.max(1, Math.floor(Math.min(word.length, best?.length ?? 0) / 3));
  return best !== undefined && bestDistance <= allowed ? best : undefined;
}

/** "unknown key "cpuMS" (did you mean "cpuMs"?)" for each key, then the keys this object takes. */
export function describeUnknownKeys(keys: readonly string[], known: readonly string[]): string {
  const each = keys.map((key) => {
    const near = closestMatch(key, known);
    return `unknown key "${key}"${near ? ` (did you mean "${near}"?)` : ''}`;
  });
  return `${each.join(', ')}; the keys here are ${known.join(', ')}. Fix the spelling or remove it`;
}

/** z.strictObject with an unknown-key message that suggests the nearest known key. */
export function strictObject<T extends z.ZodRawShape>(shape: T) {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? describeUnknownKeys(issue.keys, known) : undefined),
  });
}
