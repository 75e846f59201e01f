import { describe, expect, it } from 'vitest';
import { renderPythonTable } from './python-bench.js';

const p = (p50Ms: number, p95Ms = p50Ms * 2) => ({ samples: 15, p50Ms, p95Ms });

describe('renderPythonTable', () => {
  it('shows both engines at p50 / p95, Python over JavaScript, and the targets', () => {
    const table = renderPythonTable({
      poolSize: 2,
      javascript: { backToBack: p(4), waiting: p(2), perCallMean: p(0.08) },
      python: { backToBack: p(200), waiting: p(9), perCallMean: p(0.4), perCall: p(0.25), residentMb: 451.4 },
      topologyFloor: p(0.12),
    }).join('\n');
    expect(table).toContain('| `return 6*7`, runs back to back (each waits for its fresh instance) | 4.00 / 8.00 | 200.00 / 400.00 | 50.0x | < 250 |');
    expect(table).toContain('| `return 6*7`, a restored instance waiting | 2.00 / 4.00 | 9.00 / 18.00 | 4.5x | < 15 |');
    expect(table).toContain('| one awaited host call, timed inside the program | — | 0.250 / 0.500 | — | < 0.5 |');
    expect(table).toContain('| one awaited host call, (200 calls - none) / 200 | 0.080 / 0.160 | 0.400 / 0.800 | 5.0x | |');
    expect(table).toContain('| resident set of the Python sandbox processes after the runs (MB, pool of 2) | — | 451 | — | |');
    expect(table).toContain('| the same path without Python: data channel + the sandbox process\'s worker thread and back | — | 0.120 / 0.240 | — | |');
  });
});
