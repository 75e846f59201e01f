// The result shapes learned so far, one per upstream tool, each kept with the digest of the tool's
// definition it was learned under and the number of calls it was learned from. Learns only for
// tools that declare no outputSchema. Bounded in entries (least recently learned dropped first).
// Reads and writes its persisted form (`ShapeBookData`); the file itself is the caller's. Pure.
import type { Operation } from '../operation.js';
import { definitionHash } from './definition-hash.js';
import { learnShape } from './learn.js';
import { DEFAULT_SHAPE_BOUNDS, readShape, type Shape, type ShapeBounds } from './shape.js';

export interface LearnedShape {
  readonly server: string;
  readonly tool: string;
  /** definitionHash of the tool when this was learned. */
  readonly hash: string;
  readonly shape: Shape;
  readonly calls: number;
  /** Epoch ms of the last call learned from. */
  readonly updatedAt: number;
}

/** The persisted form: plain JSON, read back through `ShapeBook.load`. */
export interface ShapeBookData {
  readonly version: 1;
  readonly shapes: readonly LearnedShape[];
}

export interface ShapeBookOptions {
  readonly maxEntries?: number;
  readonly bounds?: ShapeBounds;
  readonly now?: () => number;
}

export const DEFAULT_MAX_LEARNED_TOOLS = 2_000;
const MAX_CALLS = 1e9;

export class ShapeBook {
  private readonly entries = new Map<string, LearnedShape>();
  private readonly maxEntries: number;
  private readonly bounds: ShapeBounds;
  private readonly now: () => number;

  constructor(options: ShapeBookOptions = {}) {
    this.maxEntries = options.maxEntries ?? DEFAULT_MAX_LEARNED_TOOLS;
    this.bounds = options.bounds ?? DEFAULT_SHAPE_BOUNDS;
    this.now = options.now ?? Date.now;
  }

  /** Learns `value` as a result of `op`; false (nothing learned) when the tool declares its outputSchema. */
  observe(op: Operation, value: unknown): boolean {
    if (op.outputSchema !== undefined && op.inferred === undefined) return false;
    const key = keyOf(op.server, op.toolName);
    const hash = definitionHash(op);
    const known = this.entries.get(key);
    const prior = known?.hash === hash ? known : undefined;
    const shape = learnShape(value, prior?.shape, this.bounds);
    this.entries.delete(key); // re-inserted last: the map's order is least recently learned first
    this.entries.set(key, { server: op.server, tool: op.toolName, hash, shape, calls: Math.min((prior?.calls ?? 0) + 1, MAX_CALLS), updatedAt: this.now() });
    this.evict();
    return true;
  }

  /** The shape learned for `op` under its current definition. */
  lookup(op: Operation): LearnedShape | undefined {
    const entry = this.entries.get(keyOf(op.server, op.toolName));
    return entry && entry.hash === definitionHash(op) ? entry : undefined;
  }

  get size(): number {
    return this.entries.size;
  }

  toData(): ShapeBookData {
    return { version: 1, shapes: [...this.entries.values()] };
  }

  /**
   * Adds persisted entries (a file, another process's learning) that are newer than what this book
   * holds; malformed entries are skipped. Answers how many were taken.
   */
  load(raw: unknown): number {
    if (typeof raw !== 'object' || raw === null || (raw as { version?: unknown }).version !== 1) return 0;
    const list = (raw as { shapes?: unknown }).shapes;
    if (!Array.isArray(list)) return 0;
    let taken = 0;
    for (const item of list) {
      const entry = readEntry(item);
      if (!entry) continue;
      const key = keyOf(entry.server, entry.tool);
      const mine = this.entries.get(key);
      if (mine && mine.updatedAt >= entry.updatedAt) continue;
      this.entries.delete(key);
      this.entries.set(key, entry);
      taken++;
    }
    this.sortByAge();
    this.evict();
    return taken;
  }

  private sortByAge(): void {
    const sorted = [...this.entries].sort(([, a], [, b]) => a.updatedAt - b.updatedAt);
    this.entries.clear();
    for (const [key, entry] of sorted) this.entries.set(key, entry);
  }

  private evict(): void {
    for (const key of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) return;
      this.entries.delete(key);
    }
  }
}

function keyOf(server: string, tool: string): string {
  return `${server}\n${tool}`;
}

function readEntry(raw: unknown): LearnedShape | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const r = raw as Record<string, unknown>;
  const { server, tool, hash, calls, updatedAt } = r;
  if (typeof server !== 'string' || typeof tool !== 'string' || typeof hash !== 'string') return undefined;
  if (typeof calls !== 'number' || !Number.isInteger(calls) || calls < 1 || calls > MAX_CALLS) return undefined;
  if (typeof updatedAt !== 'number' || !Number.isFinite(updatedAt)) return undefined;
  const shape = readShape(r['shape']);
  return shape ? { server, tool, hash, shape, calls, updatedAt } : undefined;
}
