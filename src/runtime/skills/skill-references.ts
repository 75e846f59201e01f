// Which saved skills a run needs: those a program names (`skills.weekly_report`), and those these
// skills name in turn. Read from the JavaScript the engine runs, token by token, so a mention in a
// string or comment (a description saying "skills") counts for nothing; any other use of `skills`
// (`skills[name]`, `const s = skills`) may reach any skill, and then every one is sent. Erring wide
// only costs the guest time to evaluate them. Pure.
import { tokenizer, type Token } from 'acorn';

const NAMESPACE = 'skills';

/** acorn sets `value` on every token; its typings leave it out. */
const valueOf = (token: Token | undefined): unknown => (token as (Token & { readonly value?: unknown }) | undefined)?.value;

/** What a source names: skill names, or `all` when a use of the namespace may reach any of them. */
export function skillNamesIn(js: string): Set<string> | 'all' {
  if (!js.includes(NAMESPACE)) return new Set();
  let tokens: Token[];
  try {
    tokens = [...tokenizer(js, { ecmaVersion: 'latest', allowHashBang: true })];
  } catch {
    return /\bskills\b/.test(js) ? 'all' : new Set();
  }
  const names = new Set<string>();
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.type.label !== 'name' || valueOf(token) !== NAMESPACE) continue;
    const dot = tokens[i + 1]?.type.label;
    const member = tokens[i + 2];
    if ((dot === '.' || dot === '?.') && member?.type.label === 'name') names.add(String(valueOf(member)));
    else return 'all';
  }
  return names;
}

/**
 * Names of `skills` (sorted) that the JavaScript `program` may call, directly or through other
 * skills; `compiledCode(name)` answers a skill's JavaScript (undefined for one that cannot run).
 */
export async function referencedSkills(program: string, skills: ReadonlyMap<string, unknown>, compiledCode: (name: string) => Promise<string | undefined>): Promise<string[]> {
  const wanted = new Set<string>();
  if (skills.size === 0) return [];
  const queue = [program];
  for (let source = queue.pop(); source !== undefined; source = queue.pop()) {
    const named = skillNamesIn(source);
    if (named === 'all') return [...skills.keys()].sort();
    for (const name of named) {
      if (!skills.has(name) || wanted.has(name)) continue;
      wanted.add(name);
      const code = await compiledCode(name);
      if (code !== undefined) queue.push(code);
    }
  }
  return [...wanted].sort();
}
