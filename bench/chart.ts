// Renders the bench result as a self-contained SVG (bench/results/bench.svg): per workflow, cemcp's
// tokens as a share of direct's; per catalog size, tokens of definitions per turn. Pure, deterministic.
import type { BenchResult } from './run-bench.js';

const WIDTH = 760;
const LABEL = 250;
const BAR = 420;
const ROW = 22;
const DIRECT = '#c0504d';
const CEMCP = '#2e75b6';

const esc = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const n = (value: number) => value.toLocaleString('en-US');

function text(x: number, y: number, content: string, extra = ''): string {
  return `<text x="${x}" y="${y}" ${extra}>${esc(content)}</text>`;
}

function bar(x: number, y: number, width: number, color: string): string {
  return `<rect x="${x}" y="${y}" width="${Math.max(1, width).toFixed(1)}" height="${ROW / 2 - 2}" fill="${color}"/>`;
}

export function renderChart(result: BenchResult): string {
  const parts: string[] = [];
  let y = 30;
  parts.push(text(10, y, 'Tokens per workflow (bar = share of direct; scripted agent, o200k_base)', 'font-weight="bold"'));
  y += 16;
  for (const w of result.workflows) {
    const share = w.cemcp.totalTokens / w.direct.totalTokens;
    parts.push(text(10, y + 10, w.title.length > 44 ? `${w.title.slice(0, 43)}…` : w.title));
    parts.push(bar(LABEL, y, BAR, DIRECT), text(LABEL + BAR + 6, y + 8, `direct ${n(w.direct.totalTokens)}`, 'font-size="10"'));
    parts.push(bar(LABEL, y + ROW / 2, BAR * Math.min(1, share), CEMCP),
      text(LABEL + BAR * Math.min(1, share) + 6, y + ROW / 2 + 8, `cemcp ${n(w.cemcp.totalTokens)} (${(100 * share).toFixed(1)}%)`, 'font-size="10"'));
    y += ROW + 12;
  }
  y += 16;
  parts.push(text(10, y, 'Tool definitions sent every turn, by catalog size', 'font-weight="bold"'));
  y += 16;
  const rows = result.footprint.scaled;
  const max = Math.max(...rows.map((r) => r.directTokens), 1);
  for (const r of rows) {
    parts.push(text(10, y + 10, `${r.label} (${r.tools} tools)`));
    parts.push(bar(LABEL, y, (BAR * r.directTokens) / max, DIRECT), text(LABEL + (BAR * r.directTokens) / max + 6, y + 8, `direct ${n(r.directTokens)}`, 'font-size="10"'));
    parts.push(bar(LABEL, y + ROW / 2, (BAR * r.cemcpTokens) / max, CEMCP),
      text(LABEL + (BAR * r.cemcpTokens) / max + 6, y + ROW / 2 + 8, `cemcp ${n(r.cemcpTokens)}${r.inlined ? ' (typed API inlined)' : ''}`, 'font-size="10"'));
    y += ROW + 12;
  }
  y += 4;
  parts.push(bar(10, y, 12, DIRECT), text(26, y + 9, 'direct tool calls', 'font-size="11"'), bar(140, y, 12, CEMCP), text(156, y + 9, 'cemcp (search + execute)', 'font-size="11"'));
  const height = y + 24;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH + 80}" height="${height}" viewBox="0 0 ${WIDTH + 80} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}
