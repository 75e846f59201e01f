// The safe-launcher policy for stdio upstreams, checked when the config loads: no shell
// metacharacters in `command`, no shell wrappers (`sh -c`, `cmd /c`, ...) unless the entry sets
// `allowShell: true`, and an optional allowlist of executables. Imported by config/load.ts.
import path from 'node:path';
import { ConfigError } from '../common/index.js';
import type { StdioServerConfig } from './schema.js';

const SHELL_METACHARACTERS = /[;&|<>`$(){}\n\r*?!\\]/;
const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'csh', 'tcsh', 'fish', 'ash', 'busybox', 'cmd', 'cmd.exe', 'powershell', 'powershell.exe', 'pwsh', 'pwsh.exe']);
const SHELL_FLAGS = new Set(['-c', '/c', '/k', '-command', '-encodedcommand', '--command']);
/** Launchers that run a command string through a shell when given these flags. */
const SHELLING_FLAGS: Readonly<Record<string, ReadonlySet<string>>> = {
  npx: new Set(['-c', '--call']),
  env: new Set(['-s', '--split-string']), // compared lowercased
};

/** Throws CONFIG_INVALID naming the field when `server` breaks the launcher policy. */
export function checkLaunchPolicy(server: StdioServerConfig, where: string, allowedCommands: readonly string[] | undefined): void {
  const { command, args } = server;
  const name = path.basename(command).toLowerCase();
  if (allowedCommands && !allowedCommands.some((allowed) => allowed === command || allowed === path.basename(command))) {
    throw new ConfigError('CONFIG_INVALID', `${where}.command: "${name}" is not in cemcp.launcher.allowedCommands`);
  }
  if (server.allowShell) return;
  if (SHELL_METACHARACTERS.test(command)) {
    throw new ConfigError('CONFIG_INVALID', `${where}.command: contains shell metacharacters; give the program as "command" and its arguments as "args" (no shell is used), or set "allowShell": true`);
  }
  const flags = SHELLS.has(name) ? SHELL_FLAGS : SHELLING_FLAGS[name];
  const flagIndex = flags ? args.findIndex((arg) => flags.has(arg.toLowerCase())) : -1;
  if (SHELLS.has(name) && (flagIndex !== -1 || args.length === 0)) {
    throw new ConfigError('CONFIG_INVALID', `${where}.command: runs a shell ("${name}${flagIndex === -1 ? '' : ` ${args[flagIndex]}`}"); start the server directly, or set "allowShell": true`);
  }
  if (flagIndex !== -1) {
    throw new ConfigError('CONFIG_INVALID', `${where}.args.${flagIndex}: "${name} ${args[flagIndex]}" runs a command string through a shell; set "allowShell": true to allow it`);
  }
}
