// typecheck-eval {"kind":"wrong","class":"forgotten-await","line":5,"expect":["await"],"servers":["github"]}
// Lists open PRs, then filters the issues promise without awaiting it.
const prs = await github.list_pull_requests({ owner: "acme", repo: "widgets", state: "open" });
const issues = github.list_issues({ owner: "acme", repo: "widgets", state: "open" });
const bugs = issues.filter((i) => i.labels.some((l) => l.name === "bug"));
return { prs: prs.length, bugs: bugs.length };
