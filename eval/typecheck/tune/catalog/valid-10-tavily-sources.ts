// typecheck-eval {"kind":"valid","servers":["tavily"]}
// Search recent pages and keep the URL and first sentence of each result.
const answer = await tavily.tavily_search({ query: "model context protocol code mode", search_depth: "basic", max_results: 5, time_range: "month" });
const text = typeof answer === "string" ? answer : JSON.stringify(answer);
const results: { url: string; summary: string }[] = [];
let current: { url?: string; summary?: string } = {};
for (const line of text.split("\n")) {
  if (line.startsWith("URL: ")) current.url = line.slice(5).trim();
  if (line.startsWith("Content: ")) {
    current.summary = line.slice(9).split(". ")[0];
    if (current.url) results.push({ url: current.url, summary: current.summary });
    current = {};
  }
}
return results;
