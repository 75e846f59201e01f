import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findAuditDirExposures } from './launch-roots.js';

const base = mkdtempSync(path.join(os.tmpdir(), 'cemcp-roots-'));
const audit = path.join(base, 'project', '.cemcp', 'audit');
const fs = (args: string[], cwd = base) => ({ fs: { command: 'node', args: ['server-filesystem.js', ...args], cwd } });

describe('findAuditDirExposures', () => {
  it('warns for an argument that is the audit folder or one of its ancestors, naming the upstream and argument', () => {
    const [warning, ...rest] = findAuditDirExposures(fs([path.join(base, 'project')]), audit);
    expect(rest).toEqual([]);
    expect(warning).toContain(`upstream "fs": its argument args.1 (${path.join(base, 'project')}) is a folder that contains the audit log folder ${audit}`);
    expect(warning).toContain('move cemcp.audit.dir outside the folders this upstream serves');
    expect(findAuditDirExposures(fs(['/']), audit)).toHaveLength(1);
    expect(findAuditDirExposures(fs([audit]), audit)).toHaveLength(1);
  });

  it('reads relative, ~, file:// and --opt=value spellings', () => {
    expect(findAuditDirExposures(fs(['./project']), audit)).toHaveLength(1);
    expect(findAuditDirExposures(fs(['..'], path.join(base, 'project', 'src')), audit)).toHaveLength(1);
    expect(findAuditDirExposures(fs(['~/project']), audit, base)).toHaveLength(1);
    expect(findAuditDirExposures(fs([`file://${path.join(base, 'project')}`]), audit)).toHaveLength(1);
    expect(findAuditDirExposures(fs([`--root=${base}`]), audit)).toHaveLength(1);
  });

  it('follows symlinks on either side', () => {
    mkdirSync(path.join(base, 'project'), { recursive: true });
    symlinkSync(path.join(base, 'project'), path.join(base, 'link'));
    expect(findAuditDirExposures(fs([path.join(base, 'link')]), audit)).toHaveLength(1);
  });

  it('says nothing for sibling folders, files, plain words and remote or disabled upstreams', () => {
    expect(findAuditDirExposures(fs([path.join(base, 'project-2'), path.join(base, 'proj'), 'stdio', '--port', '3000']), audit)).toEqual([]);
    expect(findAuditDirExposures({ r: { url: 'http://localhost/mcp' } }, audit)).toEqual([]);
    expect(findAuditDirExposures({ d: { command: 'node', args: ['/'], disabled: true } }, audit)).toEqual([]);
  });
});
