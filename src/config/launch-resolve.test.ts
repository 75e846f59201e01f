import { describe, expect, it } from 'vitest';
import { resolveLaunch } from './launch-resolve.js';
import { programName } from './launch-step.js';

const verdict = (argv: string[], realName?: (p: string) => string | undefined) => {
  const { refusal } = resolveLaunch(argv[0]!, argv.slice(1), realName ? { realName } : {});
  return refusal ? `${refusal.kind}: ${refusal.runs}${refusal.via.length ? ` via ${refusal.via.join(', ')}` : ''}` : 'ok';
};

describe('programName', () => {
  it.each([
    ['/usr/bin/python3.11', 'python'], ['bash.exe', 'bash'], ['C:\\Windows\\System32\\cmd.exe', 'cmd'], ['ksh93', 'ksh'],
    ['@modelcontextprotocol/server-memory@1.2.0', 'server-memory'], ['perl5.36', 'perl'], ['r2', 'r2'], ['NODE', 'node'],
  ])('%s is known as %s', (program, name) => expect(programName(program)).toBe(name));
});

describe('resolveLaunch', () => {
  it.each([
    [['env', '-i', '-u', 'X', 'A=1', 'sh', '-c', 'x'], 'shell: sh -c via env'],
    [['env', '-S', '-i A=1 timeout 5 bash -c x'], 'shell: bash -c via env -S, timeout'],
    [['env', '--spl', 'node -e x'], 'inline: node -e via env --spl'],
    [['env', '-S', 'node ${CODE}'], 'unresolvable: env -S'],
    [['timeout', '-s', 'KILL', '--kill-after=3', '10', 'zsh'], 'shell: zsh via timeout'],
    [['flock', '-w', '5', '/tmp/l', '--command', 'x'], 'shell: flock --command'],
    [['sudo', '-u', 'me', 'A=1', 'fish', '-c', 'x'], 'shell: fish -c via sudo'],
    [['sudo', '-i', 'node', 's.js'], 'shell: sudo -i'],
    [['doas', '-s'], 'shell: doas -s'],
    [['xargs', '-0', 'sh', '-c', 'x'], 'shell: sh -c via xargs'],
    [['busybox', 'env', 'ash', '-c', 'x'], 'shell: ash -c via busybox, env'],
    [['npx', '-y', '--', 'bash', '-c', 'x'], 'shell: bash -c via npx'],
    [['npx', '-yc', 'x'], 'shell: npx -c'],
    [['npx', '--c=x'], 'shell: npx -c'],
    [['npx', '--cal', 'x'], 'shell: npx --call'],
    [['npx', '--scr=/bin/sh', 'pkg'], 'shell: npx --scr'],
    [['npx', '--node-options=--require=x', 'pkg'], 'inline: npx --node-options'],
    [['npx', '--script-shell=/bin/sh', 'pkg'], 'shell: npx --script-shell'],
    [['npm', 'exec', '--', 'python3', '-c', 'x'], 'inline: python3 -c via npm exec'],
    [['npm', 'run', 'start', '--call=x'], 'shell: npm --call'],
    [['pnpm', 'dlx', 'bash', '-c', 'x'], 'shell: bash -c via pnpm'],
    [['pnpm', 'exec', '--shell-mode', 'x'], 'shell: pnpm --shell-mode'],
    [['yarn', 'exec', 'x'], 'shell: yarn exec'],
    [['bun', 'x', 'node', '-e', 'x'], 'inline: node -e via bun x, bunx'],
    [['uvx', '--from', 'pkg', 'python', '-c', 'x'], 'inline: python -c via uvx'],
    [['op', 'run', '--', 'zsh'], 'shell: zsh via op'],
    [['doppler', 'run', '--command', 'x'], 'shell: doppler --command'],
    [['npx', '-y', 'supergateway', '--stdio', 'bash -c x'], 'shell: bash -c via npx, supergateway'],
    [['su', 'me', '-c', 'x'], 'shell: su'],
    [['watch', '-x', 'node', 's.js'], 'shell: watch -x'],
    [['timeout', '--frobnicate', '1', 'x'], 'unresolvable: timeout --frobnicate'],
    [['nice', '-n'], 'unresolvable: nice -n'],
    [['node', '--require', 'data:text/javascript,x', 's.js'], 'inline: node --require'],
    [['perl', '-MPOSIX;system(1)', 's.pl'], 'inline: perl -M'],
    [['php', '-d', 'auto_prepend_file=x', 's.php'], 'inline: php -d'],
    [['deno', 'run', 'data:text/javascript,x'], 'inline: deno run data:'],
    [['awk', '-v', 'a=1', '{print}'], "inline: awk '<program>'"],
    [['node', '/usr/lib/node_modules/npm/bin/npx-cli.js', '--call', 'x'], 'shell: npx --call via node'],
    [['node', '--', 'npm-cli.js', 'exec', '--', 'bash'], 'shell: bash via node, npm exec'],
    [['python3', '-m', 'pty'], 'inline: python3 -m pty'],
    [['bun', 'run', '--eval', 'x'], 'inline: bun run --eval'],
  ])('%j -> %s', (argv, expected) => expect(verdict(argv)).toBe(expected));

  it.each([
    [['npx', '-y', '@modelcontextprotocol/server-memory']],
    [['uvx', 'mcp-server-fetch', '--ignore-robots-txt']],
    [['timeout', '600', 'nice', '-n', '5', 'node', 'server.js', '-e', 'x']],
    [['setsid', '-c', 'taskset', '-c', '0', 'chrt', '-o', '0', 'ionice', '-c', '2', 'node', 's.js']],
    [['python3', '-W', 'ignore', '-m', 'mcp_server', '-c', 'x']],
    [['perl', '-I', 'lib', '-Mstrict', 'server.pl', '-e']],
    [['deno', 'run', '--allow-net', 'server.ts']],
    [['docker', 'run', '-i', '--rm', 'mcp/github']],
    [['env']],
    [['command', '-v', 'bash']],
    [['node', 'exec.js', 'sh']],
  ])('accepts %j', (argv) => expect(verdict(argv)).toBe('ok'));

  it('judges a path by the file it really is: a link named like a server that points at a shell is a shell', () => {
    expect(verdict(['/opt/bin/my-server', '-c', 'x'], (p) => (p === '/opt/bin/my-server' ? 'bash' : undefined))).toBe('shell: my-server -c');
    expect(verdict(['/usr/bin/env', 'node', 's.js'], (p) => (p === '/usr/bin/env' ? 'busybox' : undefined))).toBe('ok');
  });

  it('lists every executable in the chain and the variables wrappers set', () => {
    const resolution = resolveLaunch('timeout', ['5', 'env', 'A=1', 'B=2', 'npx', '-y', 'pkg']);
    expect(resolution.programs).toEqual(['timeout', 'env', 'npx']);
    expect(resolution.assignments).toEqual([{ name: 'A', via: 'env' }, { name: 'B', via: 'env' }]);
  });

  it('refuses nested runners with too many possible commands to check, quickly', () => {
    expect(verdict(Array.from({ length: 40 }, () => 'op'))).toBe('unresolvable: op');
  });

  it('stops at a bound on nesting', () => {
    expect(verdict(Array.from({ length: 40 }, () => 'nohup').concat(['node', 's.js']))).toMatch(/^unresolvable: nohup via (nohup, ){16}nohup$/);
  });
});
