// typecheck-eval {"kind":"valid","servers":["firecrawl"]}
// Find papers on typed tool use and list titles with their first category.
const found = await firecrawl.firecrawl_research_search_papers({ query: "typed tool use for LLM agents", k: 10 });
const papers = found.results.map((p) => ({
  id: p.primaryId ?? p.paperId ?? "?",
  title: p.title ?? "(untitled)",
  category: p.categories?.[0] ?? null,
  year: p.createdDate ? new Date(p.createdDate).getUTCFullYear() : undefined,
}));
const authors = found.results.map((p) => (typeof p.authors === "string" ? p.authors.split(", ").length : Array.isArray(p.authors) ? p.authors.length : 0));
return { papers, authors };
