// Which saved skills a run needs: those a program names (`skills.weekly_report`), and those these
// skills name in turn. Any other mention of `skills` (`skills[name]`, `const s = skills`) may reach
// any skill: then every one is sent. Erring wide only costs parse time in the guest. Pure.

const NAMED = /\bskills\s*(?:\?\.|\.)\s*([A-Za-z_$][\w$]*)/g;
const ANY_USE = /\bskills\b/g;

/** Names of `skills` (in order of name) that `program` may call, directly or through other skills. */
export function referencedSkills(program: string, skills: ReadonlyMap<string, { readonly code: string }>): string[] {
  const wanted = new Set<string>();
  const queue = [program];
  for (let source = queue.pop(); source !== undefined; source = queue.pop()) {
    const named = namesIn(source);
    if (named === 'all') return [...skills.keys()].sort();
    for (const name of named) {
      const skill = skills.get(name);
      if (!skill || wanted.has(name)) continue;
      wanted.add(name);
      queue.push(skill.code);
    }
  }
  return [...wanted].sort();
}

function namesIn(source: string): Set<string> | 'all' {
  const names = new Set<string>();
  let dotted = 0;
  for (const match of source.matchAll(NAMED)) {
    names.add(match[1]!);
    dotted++;
  }
  const uses = source.match(ANY_USE)?.length ?? 0;
  return uses > dotted ? 'all' : names;
}
