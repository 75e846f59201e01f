// Finds stdio upstreams whose arguments name a folder that contains the audit log folder (as
// server-filesystem's allowed directories do): such an upstream's tools can read or rewrite the
// audit trail. Pure apart from realpath; imported through config/index.ts by cli/start-gateway.ts.
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { isStdioServer, type ServerConfig } from './schema.js';

const PATH_LIKE = /^(\/|\.{1,2}(\/|$)|~(\/|$)|file:\/\/)/;

/** One warning per upstream argument that is a folder containing `auditDir` (an absolute path). */
export function findAuditDirExposures(mcpServers: Readonly<Record<string, ServerConfig>>, auditDir: string, home?: string): string[] {
  const audit = real(auditDir);
  const warnings: string[] = [];
  for (const [name, server] of Object.entries(mcpServers)) {
    if (!isStdioServer(server) || server.disabled) continue;
    server.args.forEach((arg, i) => {
      const value = /^--?[\w-]+=/.test(arg) ? arg.slice(arg.indexOf('=') + 1) : arg;
      if (!PATH_LIKE.test(value)) return;
      const root = resolveRoot(value, server.cwd ?? '.', home);
      if (root === undefined || !contains(real(root), audit)) return;
      warnings.push(`upstream "${name}": its argument args.${i} (${root}) is a folder that contains the audit log folder ${auditDir}, `
        + 'so its tools can read or rewrite the audit trail; move cemcp.audit.dir outside the folders this upstream serves, or narrow them');
    });
  }
  return warnings;
}

function resolveRoot(value: string, cwd: string, home: string | undefined): string | undefined {
  if (value.startsWith('file://')) {
    try {
      return path.resolve(decodeURIComponent(new URL(value).pathname));
    } catch {
      return undefined;
    }
  }
  if (value === '~' || value.startsWith('~/')) return home ? path.join(home, value.slice(1)) : undefined;
  return path.resolve(cwd, value);
}

function contains(root: string, inner: string): boolean {
  const relative = path.relative(root, inner);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** The real path of `target`, or of its nearest existing ancestor with the rest appended. */
function real(target: string): string {
  const rest: string[] = [];
  let current = path.resolve(target);
  for (;;) {
    try {
      return path.join(realpathSync(current), ...rest.reverse());
    } catch {
      const parent = path.dirname(current);
      if (parent === current) return path.resolve(target);
      rest.push(path.basename(current));
      current = parent;
    }
  }
}
