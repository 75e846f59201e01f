#!/usr/bin/env node
// npm's `prepare` (after npm ci / npm install in a clone, before npm pack, and for git installs):
// builds dist/ with tsc. Under `npm i -g git+…` npm prepares the checkout without installing its
// dependencies (npm/cli#8440): they are installed here first. In an installed copy it does nothing.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tsc = path.join(root, 'node_modules/typescript/bin/tsc');

function run(command, args, env = process.env) {
  const result = spawnSync(command, args, { cwd: root, env, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

// npm runs prepare again where it installed a git dependency: that copy has no sources and is built.
if (!existsSync(path.join(root, 'tsconfig.json')) || !existsSync(path.join(root, 'src'))) process.exit(0);

if (!existsSync(tsc)) {
  // The global install's settings leak into this environment: install locally, dev included.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_config_(global|location|prefix|omit|production|include|force)$/i.test(key)));
  const npm = process.env.npm_execpath;
  const [command, prefix] = npm ? [process.execPath, [npm]] : ['npm', []];
  console.error('cemcp prepare: the build dependencies are not installed (npm i -g of a git checkout); installing them');
  run(command, [...prefix, 'ci', '--include=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--global=false'], env);
}
run(process.execPath, [tsc, '-p', 'tsconfig.json']);
