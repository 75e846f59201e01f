// typecheck-eval {"kind":"wrong","class":"forgotten-await","line":5,"expect":["await"],"servers":["tavily"]}
// Runs two searches; the second one is not awaited before its text is split.
const first = await tavily.tavily_search({ query: "mcp specification", max_results: 5 });
const second = tavily.tavily_search({ query: "mcp code mode", max_results: 5 });
const secondUrls = second.split("\n").filter((l) => l.startsWith("URL: "));
const firstUrls = String(first).split("\n").filter((l) => l.startsWith("URL: "));
return [...firstUrls, ...secondUrls];
