// Reads a wrapper's options the way its own parser does (POSIX getopt with "+", GNU long options
// with unique-prefix abbreviations) and splits `env -S` strings as GNU env does. Pure; imported by
// launch-wrappers.ts only. Anything it cannot read the way the program would is reported, not guessed.

export type LongKind = 'flag' | 'value' | 'optional';

export interface Grammar {
  /** getopt short spec: `k:` takes a value (attached or next), `k::` an attached value only. */
  readonly short?: string;
  readonly long?: Readonly<Record<string, LongKind>>;
  /** getopt_long accepts unambiguous prefixes (`--split` for `--split-string`). */
  readonly abbreviations?: boolean;
}

export interface ParsedOption {
  /** The short letter or the whole long name. */
  readonly name: string;
  /** As written: `-S`, `--split-string`, `--spl`. */
  readonly spelled: string;
  readonly value?: string;
  /** Index of the first argument after this option (and its value). */
  readonly end: number;
}

export type Parsed =
  | { readonly ok: true; readonly options: readonly ParsedOption[]; readonly operand: number }
  | { readonly ok: false; readonly spelled: string; readonly why: string };

/** Options up to the first operand or `--`; `operand` is the index of the first operand. */
export function getopt(args: readonly string[], grammar: Grammar): Parsed {
  const options: ParsedOption[] = [];
  const shortSpec = grammar.short ?? '';
  let i = 0;
  while (i < args.length) {
    const arg = args[i]!;
    if (arg === '--') return { ok: true, options, operand: i + 1 };
    if (arg === '-' || !arg.startsWith('-')) return { ok: true, options, operand: i };
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const written = arg.slice(2, eq === -1 ? undefined : eq);
      const name = longName(written, grammar);
      if (!name) return { ok: false, spelled: `--${written}`, why: 'unknown option' };
      const kind = grammar.long![name]!;
      const spelled = `--${written}`;
      if (eq !== -1) {
        if (kind === 'flag') return { ok: false, spelled, why: 'takes no value' };
        options.push({ name, spelled, value: arg.slice(eq + 1), end: i + 1 });
        i += 1;
      } else if (kind === 'value') {
        if (i + 1 >= args.length) return { ok: false, spelled, why: 'is missing its value' };
        options.push({ name, spelled, value: args[i + 1]!, end: i + 2 });
        i += 2;
      } else {
        options.push({ name, spelled, end: i + 1 });
        i += 1;
      }
      continue;
    }
    let next = i + 1;
    const cluster: { name: string; value?: string }[] = [];
    for (let j = 1; j < arg.length; j++) {
      const letter = arg[j]!;
      const at = shortSpec.indexOf(letter);
      if (letter === ':' || at === -1) return { ok: false, spelled: `-${letter}`, why: 'unknown option' };
      const takes = shortSpec[at + 1] === ':' ? (shortSpec[at + 2] === ':' ? 'optional' : 'value') : 'flag';
      if (takes === 'flag') {
        cluster.push({ name: letter });
        continue;
      }
      const rest = arg.slice(j + 1);
      if (rest || takes === 'optional') {
        cluster.push(rest ? { name: letter, value: rest } : { name: letter });
      } else {
        if (next >= args.length) return { ok: false, spelled: `-${letter}`, why: 'is missing its value' };
        cluster.push({ name: letter, value: args[next]! });
        next += 1;
      }
      break;
    }
    for (const option of cluster) options.push({ ...option, spelled: `-${option.name}`, end: next });
    i = next;
  }
  return { ok: true, options, operand: args.length };
}

function longName(written: string, grammar: Grammar): string | undefined {
  const long = grammar.long ?? {};
  if (Object.hasOwn(long, written)) return written;
  if (!grammar.abbreviations || !written) return undefined;
  const matches = Object.keys(long).filter((name) => name.startsWith(written));
  return matches.length === 1 ? matches[0] : undefined;
}

/**
 * Splits an `env -S` string into arguments as GNU env does: whitespace separates, '…' is literal,
 * "…" and bare words take backslash escapes, `#` starts a comment. Returns undefined for what env
 * would reject or expand at run time (`${VAR}`), since then what runs cannot be known now.
 */
export function splitEnvString(text: string): string[] | undefined {
  const words: string[] = [];
  let word: string | undefined;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else if (c === '\\' && (text[i + 1] === "'" || text[i + 1] === '\\')) word += text[++i]!;
      else word += c;
      continue;
    }
    if (c === '$') return undefined;
    if (c === '\\') {
      const e = text[++i];
      if (e === undefined) return undefined;
      if (e === 'c' && !quote) break;
      const escaped = ({ _: quote ? ' ' : undefined, t: '\t', n: '\n', r: '\r', f: '\f', v: '\v', '\\': '\\', '"': '"', "'": "'", '#': '#', $: '$', ' ': ' ' } as Record<string, string | undefined>)[e];
      if (escaped === undefined) {
        if (e === '_') {
          if (word !== undefined) words.push(word);
          word = undefined;
          continue;
        }
        return undefined;
      }
      word = (word ?? '') + escaped;
      continue;
    }
    if (quote === '"') {
      if (c === '"') quote = undefined;
      else word += c;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      word ??= '';
      continue;
    }
    if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
      continue;
    }
    if (c === '#' && word === undefined) break;
    word = (word ?? '') + c;
  }
  if (quote) return undefined;
  if (word !== undefined) words.push(word);
  return words;
}
