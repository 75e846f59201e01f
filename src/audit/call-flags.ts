// Flags about a run's tool calls: calls to destructive (destructiveHint) or shell/exec-like tools,
// and unusual call count or data volume in one run. Pure; used by runtime/ through index.ts.
import type { CallTarget } from '../common/index.js';
import type { AuditCall, Flag } from './record.js';

/** Tool names that run commands: exec, shell, bash, run_command, spawn, powershell, … */
const SHELL_LIKE = /(?:^|[_.\-])(?:exec|execute|shell|bash|sh|zsh|cmd|command|commands|powershell|pwsh|spawn|subprocess|system|terminal|eval)(?:$|[_.\-])/i;

export interface VolumeThresholds {
  /** Tool calls in one run above which the run is flagged. */
  readonly maxCalls: number;
  /** Argument plus result bytes of one run above which it is flagged. */
  readonly maxDataBytes: number;
}


/** Flags for one call, before it is made. */
export function flagCall(target: CallTarget): Flag[] {
  const call = `${target.server}.${target.tool}`;
  const flags: Flag[] = [];
  if (target.destructive) flags.push({ kind: 'destructive', message: `called ${call}, annotated destructive`, call });
  if (SHELL_LIKE.test(target.tool)) flags.push({ kind: 'shell', message: `called ${call}, a shell/exec-like tool`, call });
  return flags;
}

/** Flags for a whole run's calls; `total` counts refused calls too (they are not in `calls`). */
export function flagVolume(calls: readonly AuditCall[], thresholds: VolumeThresholds, total = calls.length): Flag[] {
  const flags: Flag[] = [];
  if (total > thresholds.maxCalls) {
    flags.push({ kind: 'call-volume', message: `${total} tool calls in one run (threshold ${thresholds.maxCalls})` });
  }
  const bytes = calls.reduce((sum, c) => sum + c.argumentBytes + c.resultBytes, 0);
  if (bytes > thresholds.maxDataBytes) {
    flags.push({ kind: 'data-volume', message: `${bytes.toLocaleString('en-US')} bytes through tool calls in one run (threshold ${thresholds.maxDataBytes.toLocaleString('en-US')})` });
  }
  return flags;
}
