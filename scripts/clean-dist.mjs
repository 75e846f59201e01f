#!/usr/bin/env node
// `npm run build` first empties dist/, so a module removed from src/ (as src/bench/ was) never
// lingers in dist/ and in the packed package. dist-bench/ is the bench's own and left alone.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

rmSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '../dist'), { recursive: true, force: true });
