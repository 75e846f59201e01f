// Decides a stdio launch by what will actually run: follows wrapper chains (env -S, timeout, sudo,
// npx, busybox, …) to the program they end in and says whether that is a shell, inline code, or a
// program running a file. Pure apart from the optional realpath lookup; imported by launch-policy.ts.
import { interpret, isInterpreter } from './launch-interpreters.js';
import { programName, shown, type Step } from './launch-step.js';
import { isWrapper, unwrap } from './launch-wrappers.js';

/** Shells, by the name they are known as (versions and `.exe` removed by programName). */
export const SHELLS: ReadonlySet<string> = new Set([
  'sh', 'ash', 'dash', 'bash', 'rbash', 'zsh', 'rzsh', 'ksh', 'rksh', 'mksh', 'pdksh', 'lksh', 'oksh', 'loksh',
  'csh', 'tcsh', 'fish', 'yash', 'posh', 'hush', 'msh', 'sash', 'mrsh', 'jsh', 'bsh', 'osh', 'ysh', 'elvish',
  'xonsh', 'nu', 'nushell', 'ion', 'rc', 'es', 'cmd', 'command.com', 'powershell', 'pwsh', 'wsl', 'busybox-sh',
]);

/** Programs that run their command through a shell (`su -c`, `script -c`, `watch`, `parallel`). */
const SHELL_RUNNERS: ReadonlySet<string> = new Set([
  'su', 'runuser', 'sg', 'script', 'watch', 'parallel', 'capsh', 'nix-shell', 'tmux', 'screen', 'entr', 'nodemon', 'concurrently',
]);

/**
 * Programs known to run a command taken from their arguments, by a grammar not modelled here
 * (package runners, secret injectors, sandboxes, tracers). Every argument position, and every
 * argument that is itself a command line, is checked as the start of what runs.
 */
const OPAQUE_RUNNERS: ReadonlySet<string> = new Set([
  'pnpm', 'pnpx', 'yarn', 'bunx', 'uv', 'uvx', 'pipx', 'poetry', 'pipenv', 'pdm', 'hatch', 'rye', 'conda', 'mamba', 'micromamba', 'pixi',
  'op', 'dotenv', 'dotenvx', 'infisical', 'doppler', 'aws-vault', 'direnv', 'mise', 'rtx', 'asdf', 'fnm', 'volta', 'nvm', 'cross-env', 'env-cmd',
  'strace', 'ltrace', 'valgrind', 'nsenter', 'unshare', 'chroot', 'systemd-run', 'firejail', 'bwrap', 'prlimit', 'numactl', 'faketime',
  'proxychains', 'torsocks', 'unbuffer', 'rlwrap', 'caffeinate', 'arch', 'setarch', 'linux32', 'linux64', 'setpriv', 'chpst', 'gosu', 'su-exec',
  'pkexec', 'sandbox-exec', 'catchsegv', 'nix', 'devbox', 'dumb-init', 'tini', 'opentelemetry-instrument', 'ddtrace-run', 'ld.so', 'ld-linux.so',
  'ld-linux-x86-64.so', 'ld-linux-aarch64.so', 'ld-musl-x86_64.so', 'ld-musl-aarch64.so',
]);

/** Options of opaque runners that hand a string to a shell (`pnpm exec -c`, `doppler run --command`). */
const OPAQUE_SHELL_OPTIONS: Readonly<Record<string, readonly string[]>> = {
  pnpm: ['-c', '--shell-mode'], pnpx: ['-c', '--shell-mode'], doppler: ['--command'], 'nix-shell': ['--run', '--command'], nix: ['--command', '-c'],
};

const MAX_HOPS = 16;

export interface Refusal {
  readonly kind: 'shell' | 'inline' | 'unresolvable';
  /** What would run, as spelled: `bash -lc`, `node -e`, `timeout --frob`. */
  readonly runs: string;
  /** The wrappers it is reached through, outermost first: `env -S`, `timeout`. */
  readonly via: readonly string[];
  readonly why?: string;
}

export interface Resolution {
  /** Every executable in the chain, outermost first (a package runner's package is not one). */
  readonly programs: readonly string[];
  /** Environment variables that wrappers in the chain set (`env NAME=VALUE`), with the wrapper. */
  readonly assignments: readonly { readonly name: string; readonly via: string }[];
  readonly refusal?: Refusal;
}

export interface ResolveOptions {
  /** The name of the file a path-like program really is (symlinks followed), when it exists. */
  readonly realName?: (program: string) => string | undefined;
}

export function resolveLaunch(command: string, args: readonly string[], options: ResolveOptions = {}): Resolution {
  const programs: string[] = [];
  const assignments: { name: string; via: string }[] = [];
  const refusal = walk([command, ...args], [], false, 0);
  return refusal ? { programs, assignments, refusal } : { programs, assignments };

  /** `guess`: a candidate of an opaque runner; `fetched`: a package a runner downloads. Neither is an executable here. */
  function walk(argv: readonly string[], via: readonly string[], guess: boolean, hops: number, fetched = false): Refusal | undefined {
    const program = argv[0];
    if (program === undefined) return undefined;
    const rest = argv.slice(1);
    const display = shown(program);
    if (hops > MAX_HOPS) return { kind: 'unresolvable', runs: display, via, why: `more than ${MAX_HOPS} nested wrappers` };
    const name = effectiveName(program);
    if (!guess && !fetched) programs.push(program);
    const step = stepOf(name, display, rest);
    for (const variable of ('assignments' in step && step.assignments) || []) assignments.push({ name: variable, via: display });
    switch (step.kind) {
      case 'final':
        return undefined;
      case 'shell':
      case 'inline':
      case 'unresolvable':
        return { kind: step.kind, runs: step.runs, via, ...(step.kind === 'unresolvable' ? { why: step.why } : {}) };
      case 'runs':
        return walk(step.argv, [...via, step.via], guess, hops + 1, step.package === true);
      case 'candidates':
        for (const candidate of step.candidates) {
          const found = walk(candidate, [...via, step.via], true, hops + 1);
          if (found) return found;
        }
        return step.shellOption ? { kind: 'shell', runs: step.shellOption, via } : undefined;
    }
  }

  function effectiveName(program: string): string {
    const nominal = programName(program);
    const real = options.realName?.(program);
    if (!real || real === nominal || real === 'busybox' || real === 'toybox') return nominal;
    // A link to a shell is a shell; a plain-looking name that is really an interpreter or wrapper is that.
    if (SHELLS.has(real) || SHELL_RUNNERS.has(real)) return real;
    return classOf(nominal) === 'plain' ? real : nominal;
  }
}

function classOf(name: string): 'shell' | 'interpreter' | 'wrapper' | 'opaque' | 'plain' {
  if (SHELLS.has(name) || SHELL_RUNNERS.has(name)) return 'shell';
  if (isInterpreter(name)) return 'interpreter';
  if (isWrapper(name)) return 'wrapper';
  if (OPAQUE_RUNNERS.has(name)) return 'opaque';
  return 'plain';
}

function stepOf(name: string, display: string, args: readonly string[]): Step {
  switch (classOf(name)) {
    case 'shell':
      return { kind: 'shell', runs: args[0]?.startsWith('-') || args[0]?.startsWith('/') ? `${display} ${shown(args[0])}` : display };
    case 'interpreter':
      return interpret(name, display, args);
    case 'wrapper':
      return unwrap(name, display, args);
    case 'opaque':
      return opaque(name, display, args);
    case 'plain':
      return { kind: 'final' };
  }
}

function opaque(name: string, display: string, args: readonly string[]): Step {
  const shellOption = args.find((arg) => OPAQUE_SHELL_OPTIONS[name]?.some((option) => arg === option || arg.startsWith(`${option}=`)));
  if (name === 'yarn' && args.find((arg) => !arg.startsWith('-')) === 'exec') return { kind: 'shell', runs: `${display} exec` };
  const candidates: string[][] = [];
  args.forEach((arg, i) => {
    candidates.push(args.slice(i));
    const value = arg.includes('=') && arg.startsWith('-') ? arg.slice(arg.indexOf('=') + 1) : arg;
    if (/\s/.test(value.trim())) candidates.push(value.trim().split(/\s+/).map((word) => word.replace(/^['"]|['"]$/g, '')));
  });
  const assignments = args.map((arg) => /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(arg)?.[1]).filter((n): n is string => n !== undefined);
  return { kind: 'candidates', candidates, via: display, assignments, ...(shellOption ? { shellOption: `${display} ${shellOption.split('=')[0]}` } : {}) };
}
