// Where the bench finds the repository from its sources (bench/, under vitest) and from its build
// (dist-bench/bench/): the first folder up that holds package.json and eval/. Imported by the bench only.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'eval'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`bench: no repository root (package.json beside eval/) above ${from}`);
  }
}

export const REPO_ROOT = findRoot(path.dirname(fileURLToPath(import.meta.url)));
/** The built CLI the bench spawns as `cemcp serve`: what users run. */
export const CLI_PATH = path.join(REPO_ROOT, 'dist/cli/main.js');
