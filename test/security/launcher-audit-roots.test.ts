// Launcher battery, audit roots: `cemcp serve` warns on stderr at start when a filesystem upstream's
// allowed directories contain the audit log folder (its tools could read or rewrite the trail), and
// stays quiet when they do not. Real server-filesystem from npm, the built CLI.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { serverEntry, startStdioGateway, tempDir } from '../e2e/harness.js';

function configWithFilesystemRoot(root: (dir: string) => string): { file: string; dir: string } {
  const dir = tempDir('cemcp-audit-roots-');
  mkdirSync(path.join(dir, 'data'));
  const file = path.join(dir, 'mcp.json');
  writeFileSync(file, JSON.stringify({
    mcpServers: { files: { command: process.execPath, args: [serverEntry('@modelcontextprotocol/server-filesystem'), root(dir)] } },
    cemcp: { audit: { dir: '.cemcp/audit' } },
  }), { mode: 0o600 });
  return { file, dir };
}

describe('launcher: upstream roots that contain the audit folder', () => {
  it('warns at start when a filesystem upstream serves the folder holding the audit log', async () => {
    const { file, dir } = configWithFilesystemRoot((d) => d);
    const gateway = await startStdioGateway(file);
    try {
      expect(gateway.stderr()).toContain(`upstream "files": its argument args.1 (${dir}) is a folder that contains the audit log folder ${path.join(dir, '.cemcp/audit')}`);
    } finally {
      await gateway.close();
    }
  });

  it('does not warn when the served folder is beside it', async () => {
    const { file } = configWithFilesystemRoot((d) => path.join(d, 'data'));
    const gateway = await startStdioGateway(file);
    try {
      expect(gateway.stderr()).not.toContain('contains the audit log folder');
    } finally {
      await gateway.close();
    }
  });
});
