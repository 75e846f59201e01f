// typecheck-eval {"kind":"wrong","class":"misspelled-tool","line":5,"expect":["list_pull_requests"],"servers":["github"]}
// Looks for a PR that fixes the top issue, with the tool name in the singular.
const issues = await github.list_issues({ owner: "acme", repo: "widgets" });
const top = issues[0];
const prs = await github.list_pull_request({ owner: "acme", repo: "widgets", state: "open" });
return prs.filter((p) => p.title.toLowerCase().includes(top.title.split(" ")[0].toLowerCase()));
