// Launcher battery, properties: random wrapper chains (env with -i/-u/-C/NAME=VALUE/-S in its
// spellings, timeout, nice, nohup, stdbuf, setsid, ionice, chrt, taskset, xargs, flock, sudo, doas,
// command, time, busybox, npx, npm exec) ending in a shell or inline code are refused when the config
// loads; the same chains ending in a program that runs a file are accepted. Variables of the
// "loads code" class are refused wherever they are set. Uses the real config loader.
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/index.js';
import { splitEnvString } from '../../src/config/launch-getopt.js';

type Chain = readonly string[];
type Wrap = (inner: Chain) => Chain;

const load = (server: Record<string, unknown>) =>
  parseConfigText(JSON.stringify({ mcpServers: { x: server } }), '/cfg/mcp.json', {});
const loadArgv = (argv: Chain, extra: Record<string, unknown> = {}) => load({ command: argv[0], args: argv.slice(1), ...extra });

function refusalOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/** Words that env -S can carry inside single quotes, and that no wrapper reads as an option. */
const word = fc.stringMatching(/^[a-z][a-z0-9_.]{0,8}$/);
const code = fc.array(word, { minLength: 1, maxLength: 3 }).map((words) => `touch ${words.join('_')}`);
const safeName = fc.stringMatching(/^APP_[A-Z0-9_]{1,8}$/);

const pick = <T>(...options: T[]) => fc.constantFrom(...options);
/** Zero or more of `choices`, in the order drawn, flattened. */
const someOf = (...choices: string[][]) => fc.array(fc.constantFrom(...choices), { maxLength: 3 }).map((list) => list.flat());
const path = (name: string) => fc.constantFrom(name, `/usr/bin/${name}`, `/bin/${name}`);

/** Quotes words for an `env -S` string as GNU env reads it: inside '…' only \\ and \' are escapes. */
const quoteForEnvS = (words: Chain): string =>
  words.map((w) => (/^[A-Za-z0-9_./=:%@+-]+$/.test(w) ? w : `'${w.replace(/[\\']/g, (c) => `\\${c}`)}'`)).join(' ');

const envWrap: fc.Arbitrary<Wrap> = fc.tuple(
  path('env'),
  someOf(['-i'], ['-u', 'HOSTNAME'], ['--unset=LANG'], ['--uns', 'TZ'], ['-C', '/tmp'], ['--chdir=/tmp'], ['-0']),
  fc.array(fc.tuple(safeName, word).map(([n, v]) => `${n}=${v}`), { maxLength: 2 }),
  pick('none', '-S', '-Sattached', '--split-string=', '--split-string', '--split=', '--spl'),
).map(([env, options, assignments, split]) => (inner) => {
  const rest = [...assignments, ...inner];
  switch (split) {
    case 'none': return [env, ...options, ...rest];
    case '-S': return [env, ...options, '-S', quoteForEnvS(rest)];
    case '-Sattached': return [env, ...options, `-S${quoteForEnvS(rest)}`];
    case '--split-string': case '--spl': return [env, ...options, split, quoteForEnvS(rest)];
    default: return [env, ...options, `${split}${quoteForEnvS(rest)}`];
  }
});

const simpleWrap = (name: string, options: fc.Arbitrary<string[]>, operands: string[] = []): fc.Arbitrary<Wrap> =>
  fc.tuple(path(name), options).map(([program, opts]) => (inner) => [program, ...opts, ...operands, ...inner]);

const WRAPS: fc.Arbitrary<Wrap>[] = [
  envWrap,
  simpleWrap('timeout', someOf(['-k', '5'], ['--kill-after=5'], ['--kill=3'], ['-s', 'KILL'], ['--signal=TERM'], ['--sig', 'INT'], ['-v'], ['--foreground'], ['-p'], ['-fv']), ['120']),
  simpleWrap('nice', pick([], ['-n', '5'], ['-n5'], ['--adjustment=3'], ['--adj', '2'], ['-10'])),
  simpleWrap('nohup', pick([], ['--'])),
  simpleWrap('stdbuf', pick(['-oL'], ['-o', '0'], ['--output=L', '-e0'], ['-i0', '-oL'])),
  simpleWrap('setsid', someOf(['-w'], ['-f'], ['-c'], ['--wait'], ['-cw'], ['--fork'])),
  simpleWrap('ionice', pick(['-c', '3'], ['-c3', '-n7'], ['--class', '2', '--classdata', '4'], ['-t'], ['-c2', '-t'])),
  simpleWrap('chrt', pick(['-o', '0'], ['-f', '10'], ['--rr', '5'], ['-b', '0'], ['--other', '0'])),
  simpleWrap('taskset', pick(['-c', '0'], ['0x1'], ['--cpu-list', '0-1'])),
  simpleWrap('xargs', someOf(['-0'], ['-r'], ['-n', '1'], ['--max-args=2'], ['--no-run-if-empty'], ['-t'])),
  simpleWrap('flock', someOf(['-n'], ['-w', '5'], ['--timeout=3'], ['-x'], ['--exclusive'], ['-s']), ['/tmp/cemcp.lock']),
  simpleWrap('sudo', someOf(['-u', 'root'], ['-E'], ['-n'], ['--user=root'], ['-H'], ['-nE'])),
  simpleWrap('doas', someOf(['-u', 'root'], ['-n'])),
  simpleWrap('command', pick([], ['-p'])),
  simpleWrap('time', someOf(['-p'], ['-f', '%e'], ['--format=%e'], ['-q'])),
  fc.constant<Wrap>((inner) => ['busybox', ...inner]),
  simpleWrap('npx', someOf(['-y'], ['--yes'], ['-q'], ['--package=cowsay'], ['-p', 'cowsay'], ['--prefer-offline']).map((o) => [...o, '--'])),
  simpleWrap('npm', someOf(['--yes'], ['-y'], ['--prefer-offline']).map((o) => ['exec', ...o, '--'])),
];

const SHELLS = ['sh', 'bash', 'rbash', 'dash', 'zsh', 'ksh', 'ksh93', 'mksh', 'fish', 'csh', 'tcsh', 'ash', 'yash', 'pwsh', 'powershell.exe', 'cmd.exe'];
const shellEnding = fc.tuple(
  fc.constantFrom(...SHELLS).chain((shell) => fc.constantFrom(shell, `/bin/${shell}`, `/usr/local/bin/${shell}`)),
  code,
  pick('-c', '-lc', '-ic', '-xc', '-ec', '--login -c', '-o pipefail -c', 'bare', 'script'),
).map(([shell, source, flag]): Chain => {
  if (flag === 'bare') return [shell];
  if (flag === 'script') return [shell, 'server.sh'];
  return [shell, ...flag.split(' '), source];
});

const inlineEnding = fc.tuple(code, fc.constantFrom<((c: string) => Chain)>(
  (c) => ['node', '-e', c], (c) => ['node', '--eval', c], (c) => [`node`, `--eval=${c}`], (c) => ['node', '-p', c], (c) => ['node', '--print', c],
  (c) => ['node', '-pe', c], (c) => ['nodejs', '--no-warnings', '-e', c], (c) => ['node', '--import', `data:text/javascript,${c}`, 'x.js'],
  (c) => ['python3.11', '-c', c], (c) => ['python', '-Ic', c], (c) => ['python3', '-u', '-c', c], (c) => ['python3', '-W', 'ignore', '-c', c], (c) => ['pypy3', `-c${c}`],
  (c) => ['perl', '-e', c], (c) => ['perl', '-E', c], (c) => ['perl', '-ne', c], (c) => ['perl5.36', '-wle', c], (c) => ['perl', '-MPOSIX;system(1)', 'x.pl'],
  (c) => ['ruby', '-e', c], (c) => ['ruby3.2', '-we', c], (c) => ['php', '-r', c], (c) => ['php8.2', '-d', 'auto_prepend_file=x', 'x.php'],
  (c) => ['deno', 'eval', c], (c) => ['bun', '-e', c], (c) => ['bun', '--print', c], (c) => ['osascript', '-e', c], (c) => ['lua5.4', '-e', c],
  (c) => ['awk', `BEGIN{system("${c}")}`], (c) => ['gawk', '-F:', `BEGIN{system("${c}")}`], (c) => ['gawk', '--source', c],
)).map(([c, make]) => make(c));

const harmlessEnding = fc.constantFrom<Chain>(
  ['node', 'server.js'], ['node', '--max-old-space-size=512', 'dist/index.js', '-e', 'prod'], ['node', '--enable-source-maps', 'server.js', '-p', '3000'],
  ['python3', '-m', 'mcp_server_fetch', '-c', 'cfg.json'], ['python3.11', 'server.py', '-c', 'x'], ['python', '-u', 'server.py'],
  ['mcp-server-git', '--repository', '/srv/repo'], ['/opt/mcp/bin/server', '--port', '3000'], ['deno', 'run', '-A', 'server.ts', '-e'],
  ['perl', 'server.pl', '-e'], ['ruby', 'server.rb', '-e', 'x'], ['awk', '-f', 'prog.awk', 'data.txt'], ['php', 'server.php', '-r'],
);

const chainOf = (ending: fc.Arbitrary<Chain>) =>
  fc.tuple(fc.array(fc.oneof(...WRAPS), { minLength: 0, maxLength: 5 }), ending)
    .map(([wraps, end]) => wraps.reduceRight<Chain>((inner, wrap) => wrap(inner), end));

/** GNU env's own splitting of `s`, or undefined when it refuses the string. */
function gnuSplit(s: string): string[] | undefined {
  const real = spawnSync('env', [`-Sprintf [%s]\\n START ${s}`], { encoding: 'utf8' });
  if (real.status !== 0) return undefined;
  return real.stdout.split('\n').filter(Boolean).map((line) => line.slice(1, -1)).slice(1);
}

const hasGnuEnv = /GNU coreutils/.test(spawnSync('env', ['--version'], { encoding: 'utf8' }).stdout ?? '');

describe('launcher properties: env -S strings are split as GNU env splits them', () => {
  it('agrees with GNU env on known strings (recorded from coreutils 9.1)', () => {
    const known: [string, string[] | undefined][] = [
      ["sh -c 'touch a'", ['sh', '-c', 'touch a']],
      ['"a b" c\\_d \'e\\\'f\' g\\tx #comment', ['a b', 'c', 'd', "e'f", 'g\tx']],
      ['"x\\_y" z', ['x y', 'z']],
      ['a\\cb c', ['a']],
      ["'it''s' \"q\\\"q\"", ['its', 'q"q']],
      ["'", undefined], ['\\ ', undefined],
    ];
    for (const [s, words] of known) {
      expect(splitEnvString(s), JSON.stringify(s)).toEqual(words);
      if (hasGnuEnv) expect(gnuSplit(s), JSON.stringify(s)).toEqual(words);
    }
  });

  it('agrees with the real GNU env on random strings of quotes, escapes, comments and spaces', () => {
    if (!hasGnuEnv) return; // the known strings above carry the check where coreutils is absent
    const text = fc.array(fc.constantFrom('a', 'b', '_', 't', 'c', ' ', ' ', "'", '"', '\\', '#', '-'), { maxLength: 16 }).map((chars) => chars.join(''));
    fc.assert(fc.property(text, (s) => {
      expect(splitEnvString(s), JSON.stringify(s)).toEqual(gnuSplit(s));
    }), { numRuns: Number(process.env.CEMCP_PROPERTY_RUNS ?? 150) });
  });
});

const RUNS = { numRuns: Number(process.env.CEMCP_PROPERTY_RUNS ?? 400) };

describe('launcher properties: wrapper chains are judged by what they end in', () => {
  it('refuses every chain that ends in a shell, naming the config path and the fix', () => {
    fc.assert(fc.property(chainOf(shellEnding), (argv) => {
      const message = refusalOf(() => loadArgv(argv));
      expect(message, JSON.stringify(argv)).toMatch(/^\/cfg\/mcp\.json: mcpServers\.x\.command: runs a shell: resolves to ".+"/);
      expect(message).toContain('set "allowShell": true on this entry if intended');
    }), RUNS);
  });

  it('refuses every chain that ends in an interpreter given inline code', () => {
    fc.assert(fc.property(chainOf(inlineEnding), (argv) => {
      expect(refusalOf(() => loadArgv(argv)), JSON.stringify(argv)).toMatch(/mcpServers\.x\.command: runs inline code: resolves to "/);
    }), RUNS);
  });

  it('accepts every chain that ends in a program running a file, whatever that program\'s own flags', () => {
    fc.assert(fc.property(chainOf(harmlessEnding), (argv) => {
      expect(refusalOf(() => loadArgv(argv)), JSON.stringify(argv)).toBeUndefined();
    }), RUNS);
  });

  it('accepts the refused chains once the entry sets allowShell', () => {
    fc.assert(fc.property(chainOf(fc.oneof(shellEnding, inlineEnding)), (argv) => {
      expect(refusalOf(() => loadArgv(argv, { allowShell: true })), JSON.stringify(argv)).toBeUndefined();
    }), { numRuns: 200 });
  });
});

/** Names of the class "makes the child load or run code it was not told to", in any letter case. */
const dangerousName = fc.oneof(
  fc.constantFrom('NODE_OPTIONS', 'NODE_PATH', 'LD_PRELOAD', 'LD_LIBRARY_PATH', 'LD_AUDIT', 'BASH_ENV', 'ENV', 'ZDOTDIR', 'PYTHONSTARTUP',
    'PYTHONPATH', 'PYTHONHOME', 'PERL5OPT', 'PERL5LIB', 'RUBYOPT', 'RUBYLIB', 'GIT_SSH_COMMAND', 'GIT_SSH', 'GIT_CONFIG_PARAMETERS',
    'JAVA_TOOL_OPTIONS', '_JAVA_OPTIONS', 'DOTNET_STARTUP_HOOKS', 'GCONV_PATH', 'OPENSSL_CONF', 'npm_config_script_shell', 'ELECTRON_RUN_AS_NODE'),
  fc.stringMatching(/^[A-Z0-9_]{1,10}$/).map((s) => `LD_${s}`),
  fc.stringMatching(/^[A-Z0-9_]{1,10}$/).map((s) => `DYLD_${s}`),
  fc.stringMatching(/^[a-z_]{1,10}$/).map((s) => `BASH_FUNC_${s}`),
  fc.nat(99).map((n) => `GIT_CONFIG_KEY_${n}`),
).chain((name) => fc.constantFrom(name, name.toLowerCase()));

describe('launcher properties: variables that make the child load code', () => {
  it('refuses them in an entry\'s env, naming the variable and allowEnv', () => {
    fc.assert(fc.property(dangerousName, word, (name, value) => {
      const message = refusalOf(() => load({ command: 'node', args: ['server.js'], env: { [name]: value } }));
      expect(message, name).toContain(`mcpServers.x.env.${name}: setting ${name} makes the child load or run code it was not told to`);
      expect(message).toContain(`"allowEnv": ["${name}"]`);
    }), RUNS);
  });

  it('refuses them when a wrapper in the chain sets them', () => {
    fc.assert(fc.property(dangerousName, word, fc.array(fc.oneof(...WRAPS), { maxLength: 3 }), (name, value, wraps) => {
      const argv = wraps.reduceRight<Chain>((inner, wrap) => wrap(inner), ['env', `${name}=${value}`, 'node', 'server.js']);
      expect(refusalOf(() => loadArgv(argv)), JSON.stringify(argv)).toContain(`sets ${name}, which makes the child load or run code`);
    }), RUNS);
  });

  it('accepts them when allowEnv names them, and accepts other names', () => {
    fc.assert(fc.property(dangerousName, safeName, word, (name, other, value) => {
      expect(refusalOf(() => load({ command: 'node', args: ['s.js'], env: { [name]: value }, allowEnv: [name] }))).toBeUndefined();
      expect(refusalOf(() => load({ command: 'node', args: ['s.js'], env: { [other]: value } }))).toBeUndefined();
    }), RUNS);
  });
});
