// Persists learned result shapes (cemcp.types.file) so they survive a restart: read once at start,
// written atomically (a temporary file renamed over it, mode 0600), merged first with what other
// gateway processes wrote there, and bounded in bytes (least recently learned tools dropped first).
// Library code: reports failures through the logger, never throws. Imported by cli/ via server/index.ts.
import { mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describeError, type Logger } from '../common/index.js';
import type { ShapeBook } from '../catalog/index.js';

/** Where learned shapes persist: a file (this module) or the gateway's records (shape-records.ts). Never throws. */
export interface ShapePersistence {
  /** Where they are, for messages. */
  readonly path: string;
  /** Adds the persisted shapes to `book`; answers how many were newer than the book's own. */
  readInto(book: ShapeBook): number | Promise<number>;
  /** Merges in the persisted newer shapes, then writes the book over them; answers how many came from there. */
  write(book: ShapeBook): number | Promise<number>;
}

export interface ShapeFile extends ShapePersistence {
  readInto(book: ShapeBook): number;
  write(book: ShapeBook): number;
}

export interface ShapeFileOptions {
  readonly logger: Logger;
  /** Bytes of JSON the file may hold. */
  readonly maxBytes?: number;
}

export const DEFAULT_SHAPE_FILE_BYTES = 4 << 20;

export function createShapeFile(file: string, options: ShapeFileOptions): ShapeFile {
  const maxBytes = options.maxBytes ?? DEFAULT_SHAPE_FILE_BYTES;
  let failing = false;
  const report = (what: string, error: unknown): void => {
    if (!failing) options.logger.log('warning', `learned types: cannot ${what} ${file}: ${describeError(error)}; types learned now last until the gateway stops`);
    failing = true;
  };

  const readInto = (book: ShapeBook): number => {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') report('read', error);
      return 0;
    }
    if (text.length > maxBytes * 2) return 0; // not ours, or tampered with: ignored, rewritten on the next write
    try {
      return book.load(JSON.parse(text) as unknown);
    } catch {
      options.logger.log('warning', `learned types: ${file} is not valid JSON; it is ignored and rewritten`);
      return 0;
    }
  };

  return {
    path: file,
    readInto,
    write(book) {
      const taken = readInto(book);
      const text = boundedJson(book, maxBytes);
      const temporary = `${file}.${process.pid}.tmp`;
      try {
        mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
        writeFileSync(temporary, text, { mode: 0o600 });
        renameSync(temporary, file);
        failing = false;
      } catch (error) {
        report('write', error);
        try {
          unlinkSync(temporary);
        } catch {
          // nothing was written
        }
      }
      return taken;
    },
  };
}

/** The book as JSON of at most `maxBytes`: its least recently learned tools left out first. */
export function boundedJson(book: ShapeBook, maxBytes: number): string {
  const data = book.toData();
  let text = JSON.stringify(data);
  if (Buffer.byteLength(text) <= maxBytes) return text;
  const sizes = data.shapes.map((s) => Buffer.byteLength(JSON.stringify(s)) + 1);
  let total = Buffer.byteLength(text);
  let from = 0;
  while (from < sizes.length && total > maxBytes) total -= sizes[from++] ?? 0;
  text = JSON.stringify({ ...data, shapes: data.shapes.slice(from) });
  return text;
}
