// What one program in a launch chain does with its arguments, as the resolver needs to know it:
// runs another argv, runs nothing further, or runs a shell / inline code / something unreadable.
// Types and name normalization only; imported by the launch-* files.
import path from 'node:path';

export type Step =
  /** Runs `argv` next (a wrapper). `package`: argv[0] is a package a runner fetches, not a file here. */
  | { readonly kind: 'runs'; readonly argv: readonly string[]; readonly via: string; readonly package?: boolean; readonly assignments?: readonly string[] }
  /** Runs a command somewhere in its arguments, by a grammar not modelled: every candidate is checked. */
  | { readonly kind: 'candidates'; readonly candidates: readonly (readonly string[])[]; readonly via: string; readonly assignments?: readonly string[]; readonly shellOption?: string }
  /** Runs nothing further: the program itself (a server, a script file) is what runs. */
  | { readonly kind: 'final'; readonly assignments?: readonly string[] }
  /** Runs a shell, or hands a string to one (`flock -c`, `npx --call`). */
  | { readonly kind: 'shell'; readonly runs: string }
  /** Runs code written inline in the arguments (`node -e`, `python -c`). */
  | { readonly kind: 'inline'; readonly runs: string }
  /** Cannot tell what would run (an option its parser does not know, `${VAR}` in `env -S`). */
  | { readonly kind: 'unresolvable'; readonly runs: string; readonly why: string };

const WINDOWS_EXTENSION = /\.(exe|cmd|bat|com)$/;
const VERSION_SUFFIX = /[-_.]?\d+(\.\d+)*$/;

/**
 * The name a program is known by: basename, lower-case, without a Windows extension, a package
 * version (`pkg@1.2`) or a version suffix (`python3.11` -> `python`, `ksh93` -> `ksh`).
 */
export function programName(program: string): string {
  let name = path.basename(program.replace(/\\/g, '/')).toLowerCase().replace(WINDOWS_EXTENSION, '');
  const at = name.indexOf('@', 1);
  if (at !== -1) name = name.slice(0, at);
  const bare = name.replace(VERSION_SUFFIX, '');
  return bare || name;
}

/** How a program or option is shown in a message: as written, without folders, short. */
export function shown(text: string): string {
  const isPath = text.includes('/') && !text.startsWith('-') && !/^\/[a-z?]$/i.test(text);
  const base = isPath ? path.basename(text) : text;
  return base.length > 24 ? `${base.slice(0, 21)}...` : base;
}

/** `NAME=value` arguments, as env and sudo read them: the names. */
export function assignmentName(arg: string): string | undefined {
  return /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(arg)?.[1];
}
