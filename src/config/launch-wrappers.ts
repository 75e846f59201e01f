// Programs that run another program given in their arguments, each read by its own grammar: env
// (with -S/--split-string, -u, -i, NAME=VALUE), timeout, nice, nohup, stdbuf, setsid, ionice, chrt,
// taskset, xargs, flock, time, doas, sudo, command, exec, busybox/toybox, npx and npm exec. An option
// a wrapper's parser does not know makes the entry unresolvable. Pure; imported by launch-resolve.ts.
import { getopt, splitEnvString, type Grammar } from './launch-getopt.js';
import { assignmentName, shown, type Step } from './launch-step.js';

type Unwrap = (display: string, args: readonly string[]) => Step;

const flagsOnly = (...names: string[]): Record<string, 'flag'> => Object.fromEntries(names.map((n) => [n, 'flag' as const]));

/** A wrapper of the form `prog [options] [N positional operands] command [args]`. */
function simple(grammar: Grammar, operands = 0, noCommandIf: readonly string[] = []): Unwrap {
  return (display, args) => {
    const parsed = getopt(args, { abbreviations: true, ...grammar });
    if (!parsed.ok) return { kind: 'unresolvable', runs: `${display} ${shown(parsed.spelled)}`, why: parsed.why };
    if (parsed.options.some((o) => noCommandIf.includes(o.name))) return { kind: 'final' };
    const start = parsed.operand + operands;
    return start < args.length ? { kind: 'runs', argv: args.slice(start), via: display } : { kind: 'final' };
  };
}

const HELP = flagsOnly('help', 'version');

const env: Unwrap = (display, args) => {
  const grammar: Grammar = {
    short: '+iS:u:C:v0',
    abbreviations: true,
    long: {
      ...HELP, ...flagsOnly('ignore-environment', 'null', 'debug', 'list-signal-handling'),
      unset: 'value', chdir: 'value', 'split-string': 'value',
      'block-signal': 'optional', 'default-signal': 'optional', 'ignore-signal': 'optional',
    },
  };
  // `env -` is `env -i`.
  const rest = args[0] === '-' ? args.slice(1) : args;
  const parsed = getopt(rest, grammar);
  if (!parsed.ok) return { kind: 'unresolvable', runs: `${display} ${shown(parsed.spelled)}`, why: parsed.why };
  const split = parsed.options.find((o) => o.name === 'S' || o.name === 'split-string');
  if (split) {
    // GNU env splits the string and reads the result again as its own arguments, options included.
    const words = splitEnvString(split.value ?? '');
    if (!words) return { kind: 'unresolvable', runs: `${display} ${split.spelled}`, why: 'its string expands ${VAR}s or is not quoted the way env reads it' };
    const inner = env(display, [...words, ...rest.slice(split.end)]);
    return inner.kind === 'runs' ? { ...inner, via: `${display} ${split.spelled}` } : inner;
  }
  return withAssignments(display, rest, parsed.operand);
};

/** `NAME=VALUE …` then the command (env, sudo). */
function withAssignments(display: string, args: readonly string[], from: number): Step {
  const assignments: string[] = [];
  let i = from;
  for (; i < args.length && args[i]!.includes('='); i++) {
    const name = assignmentName(args[i]!) ?? args[i]!.split('=')[0]!;
    assignments.push(name);
  }
  return i < args.length ? { kind: 'runs', argv: args.slice(i), via: display, assignments } : { kind: 'final', assignments };
}

const flock: Unwrap = (display, args) => {
  const parsed = getopt(args, {
    short: '+sexnouFcw:E:',
    abbreviations: true,
    long: { ...HELP, ...flagsOnly('shared', 'exclusive', 'unlock', 'nonblock', 'nb', 'close', 'no-fork', 'verbose', 'fcntl'), timeout: 'value', wait: 'value', 'conflict-exit-code': 'value', command: 'value' },
  });
  if (!parsed.ok) return { kind: 'unresolvable', runs: `${display} ${shown(parsed.spelled)}`, why: parsed.why };
  const shellOption = parsed.options.find((o) => o.name === 'c' || o.name === 'command');
  if (shellOption) return { kind: 'shell', runs: `${display} ${shellOption.spelled}` };
  const after = args[parsed.operand + 1];
  if (after !== undefined && /^-c$|^--c(o(m(m(a(n(d)?)?)?)?)?)?$/.test(after)) return { kind: 'shell', runs: `${display} ${after}` };
  const start = parsed.operand + 1;
  return start < args.length ? { kind: 'runs', argv: args.slice(start), via: display } : { kind: 'final' };
};

const sudo: Unwrap = (display, args) => {
  const parsed = getopt(args, {
    short: '+Aa:BbC:c:D:Eeg:Hh::iKklNnPp:R:r:SsT:t:U:u:Vv',
    abbreviations: true,
    long: {
      ...HELP, ...flagsOnly('askpass', 'background', 'bell', 'edit', 'set-home', 'login', 'remove-timestamp', 'reset-timestamp', 'list', 'non-interactive', 'preserve-groups', 'stdin', 'shell', 'validate'),
      'close-from': 'value', chdir: 'value', 'preserve-env': 'optional', group: 'value', host: 'optional', prompt: 'value',
      chroot: 'value', role: 'value', type: 'value', 'command-timeout': 'value', 'other-user': 'value', user: 'value', 'auth-type': 'value', 'login-class': 'value',
    },
  });
  if (!parsed.ok) return { kind: 'unresolvable', runs: `${display} ${shown(parsed.spelled)}`, why: parsed.why };
  // -s and -i run the user's shell, and a command through it (`$SHELL -c …`).
  const shell = parsed.options.find((o) => ['s', 'shell', 'i', 'login'].includes(o.name));
  if (shell) return { kind: 'shell', runs: `${display} ${shell.spelled}` };
  if (parsed.options.some((o) => ['e', 'edit', 'l', 'list', 'v', 'validate', 'V', 'version', 'K', 'remove-timestamp', 'help'].includes(o.name))) return { kind: 'final' };
  return withAssignments(display, args, parsed.operand);
};

const doas: Unwrap = (display, args) => {
  const parsed = getopt(args, { short: '+LnsC:u:a:' });
  if (!parsed.ok) return { kind: 'unresolvable', runs: `${display} ${shown(parsed.spelled)}`, why: parsed.why };
  const shell = parsed.options.find((o) => o.name === 's');
  if (shell) return { kind: 'shell', runs: `${display} -s` };
  if (parsed.options.some((o) => o.name === 'C' || o.name === 'L')) return { kind: 'final' };
  return parsed.operand < args.length ? { kind: 'runs', argv: args.slice(parsed.operand), via: display } : { kind: 'final' };
};

/** busybox/toybox: the first argument names the applet that runs. */
const multicall: Unwrap = (display, args) => {
  const applet = args[0];
  if (applet === undefined || applet.startsWith('-')) return { kind: 'final' };
  return { kind: 'runs', argv: args, via: display };
};

/** npm-style options: the keys that make npx/npm exec run a string through a shell or load code. */
function npmRefusal(display: string, key: string, single: boolean): Step | undefined {
  if ((single && key.includes('c')) || key === 'call' || (key.length >= 3 && 'call'.startsWith(key))) return { kind: 'shell', runs: `${display} ${single ? '-c' : '--call'}` };
  if (key === 'shell' || key === 'script-shell' || (key.length >= 8 && 'script-shell'.startsWith(key))) return { kind: 'shell', runs: `${display} --${key}` };
  if (key === 'node-options' || key === 'onload-script') return { kind: 'inline', runs: `${display} --${key}` };
  return undefined;
}

/** npm options that take no value (npx-cli's own list, the common part of npm's switches). */
const NPM_SWITCHES = new Set(['y', 'yes', 'no', 'q', 'quiet', 'no-install', 'v', 'version', 'h', 'help', 'ignore-existing', 'always-spawn', 'shell-auto-fallback', 'prefer-offline', 'prefer-online', 'offline', 'silent', 's', 'force', 'f', 'legacy-peer-deps', 'workspaces', 'ws', 'include-workspace-root', 'iwr', 'global', 'g', 'd', 'dd', 'ddd', 'loglevel-silent', 'foreground-scripts', 'ignore-scripts']);
const NPM_OPTS = new Set(['package', 'p', 'cache', 'userconfig', 'call', 'c', 'shell', 'npm', 'node-arg', 'n', 'registry', 'prefix', 'workspace', 'w', 'loglevel']);

/**
 * Reads npm-style arguments as npx-cli does before handing them to npm: options until the first
 * positional or `--`; an option without `=` that is not a known switch takes the next argument.
 * Returns the index of the first positional, or a refusal.
 */
function npmOptions(display: string, args: readonly string[], from: number): number | Step {
  for (let i = from; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') return i + 1;
    if (!arg.startsWith('-')) return i;
    const single = !arg.startsWith('--');
    const [key = '', ...value] = arg.replace(/^-+/, '').split('=');
    const refusal = npmRefusal(display, key, single);
    if (refusal) return refusal;
    if (value.length === 0 && !NPM_SWITCHES.has(key) && !key.startsWith('no-') && (NPM_OPTS.has(key) || !args[i + 1]?.startsWith('-'))) i += 1;
  }
  return args.length;
}

const npx: Unwrap = (display, args) => {
  const at = npmOptions(display, args, 0);
  if (typeof at !== 'number') return at;
  return at < args.length ? { kind: 'runs', argv: args.slice(at), via: display, package: true } : { kind: 'final' };
};

/** npm: `npm exec|x …` runs a package like npx; other commands run package.json scripts (files). */
const npm: Unwrap = (display, args) => {
  const at = npmOptions(display, args, 0);
  if (typeof at !== 'number') return at;
  const command = args[at];
  if (command !== 'exec' && command !== 'x') {
    // npm reads options after the command too: refuse a --call or --script-shell anywhere before `--`.
    const end = args.indexOf('--');
    for (const arg of args.slice(at, end === -1 ? undefined : end)) {
      if (!arg.startsWith('-')) continue;
      const refusal = npmRefusal(display, arg.replace(/^-+/, '').split('=')[0]!, !arg.startsWith('--'));
      if (refusal) return refusal;
    }
    return { kind: 'final' };
  }
  const next = npx(`${display} ${command}`, args.slice(at + 1));
  return next.kind === 'runs' ? { ...next, via: `${display} ${command}` } : next;
};

const WRAPPERS: Readonly<Record<string, Unwrap>> = {
  env,
  flock,
  sudo,
  doas,
  npx,
  npm,
  busybox: multicall,
  toybox: multicall,
  timeout: simple({ short: '+k:s:vfp', long: { ...HELP, ...flagsOnly('foreground', 'preserve-status', 'verbose'), 'kill-after': 'value', signal: 'value' } }, 1),
  nice: (display, args) => simple({ short: '+n:', long: { ...HELP, adjustment: 'value' } })(display, /^-[-+]?\d+$/.test(args[0] ?? '') ? args.slice(1) : args),
  nohup: simple({ long: HELP }),
  stdbuf: simple({ short: '+i:o:e:', long: { ...HELP, input: 'value', output: 'value', error: 'value' } }),
  setsid: simple({ short: '+cfw', long: { ...HELP, ...flagsOnly('ctty', 'fork', 'wait') } }),
  ionice: simple({ short: '+c:n:p:P:tu:', long: { ...HELP, class: 'value', classdata: 'value', pid: 'value', pgid: 'value', ignore: 'flag', uid: 'value' } }, 0, ['p', 'pid', 'P', 'pgid', 'u', 'uid']),
  chrt: simple({ short: '+abdefimoprRvT:P:D:', long: { ...HELP, ...flagsOnly('all-tasks', 'batch', 'deadline', 'ext', 'fifo', 'idle', 'max', 'other', 'pid', 'rr', 'reset-on-fork', 'verbose'), 'sched-runtime': 'value', 'sched-period': 'value', 'sched-deadline': 'value' } }, 1, ['p', 'pid', 'm', 'max']),
  taskset: simple({ short: '+acp', long: { ...HELP, ...flagsOnly('all-tasks', 'cpu-list', 'pid') } }, 1, ['p', 'pid']),
  xargs: simple({
    short: '+0a:d:E:e::I:i::L:l::n:oP:prs:tx',
    long: { ...HELP, ...flagsOnly('null', 'open-tty', 'interactive', 'no-run-if-empty', 'verbose', 'exit', 'show-limits'), 'arg-file': 'value', delimiter: 'value', eof: 'optional', replace: 'optional', 'max-lines': 'optional', 'max-args': 'value', 'max-procs': 'value', 'max-chars': 'value', 'process-slot-var': 'value' },
  }, 0, ['show-limits']),
  time: simple({ short: '+ao:pqvf:', long: { ...HELP, ...flagsOnly('append', 'portability', 'verbose', 'quiet'), format: 'value', output: 'value' } }),
  command: simple({ short: '+pvV' }, 0, ['v', 'V']),
  exec: simple({ short: '+cla:' }),
};

export function isWrapper(name: string): boolean {
  return Object.hasOwn(WRAPPERS, name);
}

export function unwrap(name: string, display: string, args: readonly string[]): Step {
  return WRAPPERS[name]!(display, args);
}

