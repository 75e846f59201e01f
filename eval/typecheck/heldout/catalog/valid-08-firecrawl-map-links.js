// typecheck-eval {"kind":"valid","servers":["firecrawl"]}
// API reference pages of a docs site, from firecrawl's site map.
const res = await firecrawl.firecrawl_map({ url: "https://docs.example.com", search: "api", limit: 50 });
const links = Array.isArray(res.links) ? res.links : [];
const api = links.map((l) => (typeof l === "string" ? { url: l } : l)).filter((l) => l.url.includes("/api/"));
return { success: res.success, pages: api.map((l) => l.title || l.url.split("/").pop()) };
