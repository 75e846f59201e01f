// Finds the compiled worker entry (worker-entry.js) for a module URL. Pure. A worker thread must
// load JavaScript: next to compiled code it is the sibling file; when the engine itself runs from
// TypeScript source (vitest), it is the same path under dist/ instead of src/ (built by `tsc`).

/** `file:///p/src/sandbox/x.ts` -> `file:///p/dist/sandbox/worker-entry.js`; `.../dist/sandbox/x.js` -> sibling. */
export function resolveWorkerEntry(moduleUrl: string): URL {
  const url = new URL(moduleUrl);
  if (url.pathname.endsWith('.ts')) {
    const at = url.pathname.lastIndexOf('/src/');
    if (at >= 0) {
      const dir = url.pathname.slice(0, url.pathname.lastIndexOf('/') + 1);
      const mapped = `${dir.slice(0, at)}/dist/${dir.slice(at + '/src/'.length)}worker-entry.js`;
      const entry = new URL(url);
      entry.pathname = mapped;
      entry.search = '';
      entry.hash = '';
      return entry;
    }
  }
  return new URL('./worker-entry.js', url);
}
