#!/usr/bin/env node
// npm's `prepare` (after npm ci / npm install in a clone, before npm pack, and when npm prepares a
// git dependency): builds dist/ with tsc. In an installed copy (no sources) it does nothing.
// Without TypeScript it says why and what works instead of a bare "tsc: not found".
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tsc = path.join(root, 'node_modules/typescript/bin/tsc');

if (!existsSync(path.join(root, 'tsconfig.json')) || !existsSync(path.join(root, 'src'))) process.exit(0);
if (!existsSync(tsc)) {
  console.error([
    'cemcp prepare: TypeScript is not installed here, so dist/ cannot be built.',
    '`npm i -g git+…` does not install a git package\'s build dependencies (npm/cli#8440). Instead:',
    '  npm pack git+file:///path/to/cemcp && npm i -g ./cemcp-0.1.0.tgz',
    'or, in a clone: npm ci && npm i -g .',
  ].join('\n'));
  process.exit(1);
}
const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: root, stdio: 'inherit' });
process.exit(result.status ?? 1);
