// cemcp's one glob dialect, for tool policy (`server.tool`, fetch URLs) and OpenAPI filters
// (path templates, operationIds): `**` any run of characters, `*` any run without the separator
// (any run when there is none), `?` one character but the separator; all else literal. Pure.

export interface GlobOptions {
  /** A character `*` and `?` never cross (`/` for paths); without one `*` is the same as `**`. */
  readonly separator?: string;
  /** Match any case (policy: a tool's case is the upstream's choice; URLs' schemes and hosts have none). */
  readonly ignoreCase?: boolean;
}

const cache = new Map<string, RegExp>();
const MAX_CACHED = 1_000;

/** The whole-string RegExp of a glob; compiled once per pattern and options. */
export function globToRegExp(pattern: string, options: GlobOptions = {}): RegExp {
  const sep = options.separator ?? '';
  if (sep.length > 1) throw new RangeError('a glob separator is one character');
  const key = `${options.ignoreCase ? 'i' : 'c'}${sep}\u0000${pattern}`;
  let regex = cache.get(key);
  if (!regex) {
    const notSep = sep ? `[^${escape(sep)}]` : '.';
    const body = pattern.split(/(\*\*|\*|\?)/).map((part) => {
      if (part === '**') return '.*';
      if (part === '*') return `${notSep}*`;
      if (part === '?') return notSep;
      return escape(part);
    }).join('');
    regex = new RegExp(`^${body}$`, options.ignoreCase ? 'is' : 's');
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(key, regex);
  }
  return regex;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}
