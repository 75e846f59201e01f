// Finds the program a stdio entry will launch, as spawn will: a path is taken relative to the
// entry's cwd, a bare name is searched on PATH. Lets load.ts say "command not found" at load
// time instead of a bare exit code later. Imported by config/load.ts only.
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import path from 'node:path';

/** The file `command` resolves to, or undefined when no executable file is found. */
export async function findCommand(command: string, cwd: string, pathVariable: string | undefined): Promise<string | undefined> {
  if (command.includes('/') || command.includes(path.sep)) {
    const file = path.resolve(cwd, command);
    return (await isExecutableFile(file)) ? file : undefined;
  }
  for (const dir of searchDirs(pathVariable)) {
    for (const name of candidateNames(command)) {
      const file = path.resolve(cwd, dir, name);
      if (await isExecutableFile(file)) return file;
    }
  }
  return undefined;
}

export function searchDirs(pathVariable: string | undefined): string[] {
  return (pathVariable ?? '').split(path.delimiter).filter((dir) => dir !== '');
}

function candidateNames(command: string): string[] {
  if (process.platform !== 'win32') return [command];
  return [command, '.exe', '.cmd', '.bat'].map((ext, i) => (i === 0 ? command : `${command}${ext}`));
}

async function isExecutableFile(file: string): Promise<boolean> {
  try {
    if (!(await stat(file)).isFile()) return false;
    await access(file, process.platform === 'win32' ? constants.F_OK : constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
