// typecheck-eval {"kind":"wrong","class":"misspelled-namespace","line":5,"expect":["brave_search"],"servers":["brave-search"]}
// Runs a web search, then a local search through a shortened namespace.
const web = await brave_search.brave_web_search({ query: "best coffee london", count: 3 });
console.log(String(web).split("\n")[0]);
const local = await brave.brave_local_search({ query: "coffee near Soho", count: 3 });
return local;
