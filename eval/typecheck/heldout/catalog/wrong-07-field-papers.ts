// typecheck-eval {"kind":"wrong","class":"missing-field","line":5,"expect":["results"],"servers":["firecrawl"]}
// Lists paper titles from a papers field; the result calls it results.
const found = await firecrawl.firecrawl_research_search_papers({ query: "tool calling benchmarks", k: 5 });
console.log("searched");
const titles = found.papers.map((p) => p.title);
return titles;
