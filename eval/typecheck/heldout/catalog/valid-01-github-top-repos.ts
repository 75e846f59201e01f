// typecheck-eval {"kind":"valid","servers":["github"]}
// The most starred matching repositories, with a description fallback.
type Repo = { full_name: string; description: string | null; stargazers_count: number; language: string | null };
const res = (await github.search_repositories({ query: "widgets org:acme", perPage: 10 })) as { total_count: number; items: Repo[] };
const top = [...res.items].sort((a, b) => b.stargazers_count - a.stargazers_count).slice(0, 3);
return top.map((r) => ({ repo: r.full_name, stars: r.stargazers_count, about: r.description ?? "(no description)", lang: r.language ?? "?" }));
