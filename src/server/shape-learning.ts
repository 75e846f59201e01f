// Learns result types at the gateway: wraps the ToolInvoker so each successful result is learned
// from after the program has it (off the reply's path: setImmediate), for tools without a declared
// outputSchema; lays the shapes over each catalog the upstreams give and publishes it (debounced),
// and persists them (debounced, and at close). A text result is parsed for learning only when small.
// Imported by cli/ via server/index.ts.
import { describeError, type CallOutcome, type Logger, type ToolInvoker } from '../common/index.js';
import { ShapeBook, withLearnedShapes, type Catalog, type Observed, type Operation } from '../catalog/index.js';
import type { ShapePersistence } from './shape-file.js';

export interface ShapeLearningOptions {
  /** Where each catalog with learned shapes goes (GatewayService.setCatalog). */
  readonly publish: (catalog: Catalog) => void;
  readonly logger: Logger;
  /** Where shapes persist (a file, or the shared store's records); absent: they last as long as the process. */
  readonly file?: ShapePersistence | undefined;
  readonly book?: ShapeBook;
  /** A changed shape reaches the catalog this long after (more changes meanwhile: one rebuild). */
  readonly publishDelayMs?: number;
  /** A call that only adds to the count of calls of an unchanged shape reaches it this long after. */
  readonly countDelayMs?: number;
  /** Learned shapes are written this long after a change (and at close). */
  readonly saveDelayMs?: number;
  /** Characters of a text result parsed for learning; longer ones are not learned from. */
  readonly maxTextChars?: number;
  /** Results waiting to be learned from; past it, results are not learned from until the queue drains. */
  readonly maxPending?: number;
}

export interface ShapeLearning {
  /** A new catalog from the upstreams: published at once with the learned shapes laid over it. */
  setCatalog(catalog: Catalog): void;
  /** `invoker`, learning from every successful result it answers. */
  wrap(invoker: ToolInvoker): ToolInvoker;
  /** Learning still queued is done, the catalog published and the shapes written. */
  flush(): Promise<void>;
  /** Flushes, then stops. */
  close(): Promise<void>;
}

const DEFAULTS = { publishDelayMs: 200, countDelayMs: 2_000, saveDelayMs: 1_000, maxTextChars: 1 << 20, maxPending: 16 };

export function createShapeLearning(options: ShapeLearningOptions): ShapeLearning {
  const settings = { ...DEFAULTS, ...definedOnly(options) };
  const book = options.book ?? new ShapeBook();
  const { logger, file } = options;
  let base: Catalog | undefined;
  let byTool = new Map<string, Operation>();
  let pending = 0;
  let drained: (() => void)[] = [];
  let publishTimer: NodeJS.Timeout | undefined;
  let publishAt = Infinity;
  let saveTimer: NodeJS.Timeout | undefined;
  let dirty = false;
  let closed = false;
  // A file is read at once; the store's records a moment later (the catalog is published when they come).
  const loaded = file?.readInto(book);
  let loading = loaded instanceof Promise ? loaded.then((taken) => { if (taken > 0) schedulePublish(); }) : undefined;

  const publish = (): void => {
    clearTimeout(publishTimer);
    publishTimer = undefined;
    publishAt = Infinity;
    if (base) options.publish(withLearnedShapes(base, book));
  };
  const save = async (): Promise<void> => {
    clearTimeout(saveTimer);
    saveTimer = undefined;
    if (!file || !dirty) return;
    dirty = false;
    if (loading) await loading; // what was stored before is merged in first
    // Another gateway process may have learned other tools meanwhile: show those too.
    if ((await file.write(book)) > 0) schedulePublish();
  };
  /** Publishes within `delayMs`: an earlier deadline replaces a later one, never the other way. */
  const schedulePublish = (delayMs: number = settings.publishDelayMs): void => {
    const at = Date.now() + delayMs;
    if (at >= publishAt) return;
    clearTimeout(publishTimer);
    publishAt = at;
    publishTimer = setTimeout(publish, delayMs).unref();
  };
  const learn = (server: string, toolName: string, outcome: CallOutcome): void => {
    const op = byTool.get(`${server}\n${toolName}`);
    if (!op || op.outputSchema !== undefined || !outcome.ok) return;
    const value = 'text' in outcome ? parseForLearning(outcome.text, settings.maxTextChars) : outcome.value;
    if (value === TOO_LARGE) return;
    let observed: Observed;
    try {
      observed = book.observe(op, value);
    } catch (error) {
      logger.log('debug', `learned types: ${op.callName}: ${describeError(error)}`);
      return;
    }
    if (!observed) return;
    dirty = true;
    // A new shape shows soon; a count alone can wait (each publish is a new catalog).
    schedulePublish(observed === 'shape' ? settings.publishDelayMs : settings.countDelayMs);
    if (file) saveTimer ??= setTimeout(() => void save(), settings.saveDelayMs).unref();
  };
  const flush = async (): Promise<void> => {
    if (pending > 0) await new Promise<void>((resolve) => drained.push(resolve));
    if (loading) {
      await loading;
      loading = undefined;
    }
    if (publishTimer) publish();
    await save();
  };
  const settle = (): void => {
    if (--pending > 0) return;
    const waiting = drained;
    drained = [];
    waiting.forEach((resolve) => resolve());
  };

  return {
    setCatalog(catalog) {
      base = catalog;
      byTool = new Map(catalog.operations.map((op) => [`${op.server}\n${op.toolName}`, op]));
      publish();
    },
    wrap(invoker) {
      return {
        async callTool(server, toolName, args, callOptions) {
          const outcome = await invoker.callTool(server, toolName, args, callOptions);
          if (outcome.ok && !closed && pending < settings.maxPending) {
            pending++;
            // After the reply: the program gets its result first, the learning happens next.
            setImmediate(() => {
              try {
                learn(server, toolName, outcome);
              } finally {
                settle();
              }
            });
          }
          return outcome;
        },
      };
    },
    flush,
    async close() {
      await flush();
      closed = true;
      clearTimeout(publishTimer);
      clearTimeout(saveTimer);
    },
  };
}

const TOO_LARGE: unique symbol = Symbol('too large');

/** What the program received for a text result: the parsed JSON, or the text itself. */
function parseForLearning(text: string, maxChars: number): unknown {
  if (text.length > maxChars) return TOO_LARGE;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
