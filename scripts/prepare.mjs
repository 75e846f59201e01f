#!/usr/bin/env node
// npm's `prepare` (after npm ci / npm install in a clone, before npm pack, and for git installs):
// builds dist/ with tsc. Under `npm i -g git+…` npm installs a git dependency's dependencies but
// not the devDependencies it needs to build (npm/cli#8440): then TypeScript and Node's types are
// fetched into a temporary folder for this one build. In an installed copy it does nothing.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function run(command, args, env = process.env) {
  const result = spawnSync(command, args, { cwd: root, env, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

// npm runs prepare again where it installed a git dependency: that copy has no sources and is built.
if (!existsSync(path.join(root, 'tsconfig.json')) || !existsSync(path.join(root, 'src'))) process.exit(0);

const localTsc = path.join(root, 'node_modules/typescript/bin/tsc');
if (existsSync(localTsc)) {
  run(process.execPath, [localTsc, '-p', 'tsconfig.json']);
} else {
  const { devDependencies } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  const tools = mkdtempSync(path.join(os.tmpdir(), 'cemcp-build-'));
  // The global install's settings leak into this environment: install into the temporary folder.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_config_(global|location|prefix|omit|production|include)$/i.test(key)));
  const npm = process.env.npm_execpath;
  const [command, prefix] = npm ? [process.execPath, [npm]] : ['npm', []];
  console.error('cemcp prepare: TypeScript is not installed (npm i -g of a git checkout); fetching it for this build');
  try {
    run(command, [...prefix, 'install', '--prefix', tools, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--ignore-scripts',
      `typescript@${devDependencies.typescript}`, `@types/node@${devDependencies['@types/node']}`], env);
    run(process.execPath, [path.join(tools, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json', '--typeRoots', path.join(tools, 'node_modules/@types')]);
  } finally {
    rmSync(tools, { recursive: true, force: true });
  }
}
