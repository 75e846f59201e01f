// The safe-launcher policy for stdio upstreams, checked when the config loads, by what will run:
// the wrapper chain is resolved (launch-resolve.ts) and a shell or inline code at its end is refused
// unless the entry sets `allowShell`; variables that make the child load code need `allowEnv`; and
// `cemcp.launcher.allowedCommands` covers every executable in the chain. Imported by config/load.ts.
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../common/index.js';
import { dangerousEnvReason } from './launch-env.js';
import { resolveLaunch, type Refusal } from './launch-resolve.js';
import { programName } from './launch-step.js';
import type { StdioServerConfig } from './schema.js';

const SHELL_METACHARACTERS = /[;&|<>`$(){}\n\r*?!\\]/;

/** Throws CONFIG_INVALID naming the field when `server` breaks the launcher policy. */
export function checkLaunchPolicy(server: StdioServerConfig, where: string, allowedCommands: readonly string[] | undefined): void {
  const { command, args } = server;
  if (!server.allowShell && SHELL_METACHARACTERS.test(command)) {
    throw new ConfigError('CONFIG_INVALID', `${where}.command: contains shell metacharacters; give the program as "command" and its arguments as "args" (no shell is used), or set "allowShell": true`);
  }
  const resolution = resolveLaunch(command, args, { realName: (program) => realName(program, server.cwd) });
  if (allowedCommands) {
    const outside = resolution.programs.find((program) => !allowedCommands.some((allowed) => allowed === program || allowed === path.basename(program)));
    if (outside !== undefined) {
      const how = outside === command ? '' : ` (run by "${path.basename(command)}" in args)`;
      throw new ConfigError('CONFIG_INVALID', `${where}.command: "${path.basename(outside)}"${how} is not in cemcp.launcher.allowedCommands`);
    }
  }
  if (resolution.refusal && !server.allowShell) throw new ConfigError('CONFIG_INVALID', refusalMessage(where, resolution.refusal), { refusal: resolution.refusal.kind });
  const allowEnv = new Set((server.allowEnv ?? []).map((name) => name.toUpperCase()));
  for (const name of Object.keys(server.env ?? {})) checkVariable(name, `${where}.env.${name}`, `setting ${name}`, allowEnv);
  for (const { name, via } of resolution.assignments) checkVariable(name, `${where}.args`, `"${via}" sets ${name}, which`, allowEnv);
}

function checkVariable(name: string, field: string, subject: string, allowEnv: ReadonlySet<string>): void {
  const why = dangerousEnvReason(name);
  if (!why || allowEnv.has(name.toUpperCase())) return;
  throw new ConfigError('CONFIG_INVALID',
    `${field}: ${subject} makes the child load or run code it was not told to (${why}); remove it, or list it in "allowEnv": ["${name}"] on this entry if intended`,
    { variable: name });
}

function refusalMessage(where: string, refusal: Refusal): string {
  const via = refusal.via.length ? ` via ${refusal.via.join(', ')}` : '';
  switch (refusal.kind) {
    case 'shell':
      return `${where}.command: runs a shell: resolves to "${refusal.runs}"${via}; start the server program directly (no shell is used), or set "allowShell": true on this entry if intended`;
    case 'inline':
      return `${where}.command: runs inline code: resolves to "${refusal.runs}"${via}; put the code in a file and run that, or set "allowShell": true on this entry if intended`;
    case 'unresolvable':
      return `${where}.command: cannot tell what runs: "${refusal.runs}"${via} ${refusal.why ?? 'is not understood'}; spell it as the program documents, start the server directly, or set "allowShell": true on this entry if intended`;
  }
}

/** The name of the file a path-like program really is, symlinks followed; undefined when it is not there. */
function realName(program: string, cwd: string | undefined): string | undefined {
  if (!program.includes('/') && !program.includes('\\')) return undefined;
  try {
    return programName(realpathSync(path.resolve(cwd ?? '.', program)));
  } catch {
    return undefined;
  }
}
