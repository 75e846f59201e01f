// Include/exclude filters of an OpenAPI source: by tag (exact, case-insensitive), path template
// (`*` one segment, `**` any) or operationId (`*` any run). Pure; imported by extract.ts.
import type { OpenApiFilter } from '../../config/index.js';

export interface FilterSubject {
  readonly operationId?: string | undefined;
  readonly path: string;
  readonly tags: readonly string[];
}

/** Whether an operation passes `include` (absent: all) and is not caught by `exclude`. */
export function isSelected(subject: FilterSubject, include?: OpenApiFilter, exclude?: OpenApiFilter): boolean {
  if (include && hasCriteria(include) && !matches(subject, include)) return false;
  return !(exclude && matches(subject, exclude));
}

function hasCriteria(filter: OpenApiFilter): boolean {
  return Boolean(filter.tags?.length || filter.paths?.length || filter.operations?.length);
}

function matches(subject: FilterSubject, filter: OpenApiFilter): boolean {
  const tags = subject.tags.map((t) => t.toLowerCase());
  if (filter.tags?.some((t) => tags.includes(t.toLowerCase()))) return true;
  if (filter.paths?.some((p) => globToRegExp(p, true).test(subject.path))) return true;
  const id = subject.operationId;
  return id !== undefined && (filter.operations?.some((p) => globToRegExp(p, false).test(id)) ?? false);
}

const cache = new Map<string, RegExp>();
function globToRegExp(pattern: string, segments: boolean): RegExp {
  const key = `${segments ? 'p' : 'o'}${pattern}`;
  let re = cache.get(key);
  if (!re) {
    const body = pattern
      .split(/(\*\*|\*)/)
      .map((part) => (part === '**' ? '.*' : part === '*' ? (segments ? '[^/]*' : '.*') : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
      .join('');
    re = new RegExp(`^${body}$`);
    cache.set(key, re);
  }
  return re;
}
