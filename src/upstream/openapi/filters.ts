// Include/exclude filters of an OpenAPI source: by tag (exact, case-insensitive), path template
// (common/glob.ts with `/` as separator: `*` one segment, `**` any) or operationId (`*` any run).
// Pure; imported by extract.ts.
import { globToRegExp } from '../../common/index.js';
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
  if (filter.paths?.some((p) => globToRegExp(p, { separator: '/' }).test(subject.path))) return true;
  const id = subject.operationId;
  return id !== undefined && (filter.operations?.some((p) => globToRegExp(p).test(id)) ?? false);
}
