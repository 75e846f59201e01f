// typecheck-eval {"kind":"wrong","class":"wrong-enum","line":5,"expect":["\"open\"","\"closed\""],"servers":["github"]}
// Counts open PRs, then open issues with a state value the tool does not accept.
const prs = await github.list_pull_requests({ owner: "acme", repo: "widgets", state: "open" });
console.log(`${prs.length} open PRs`);
const issues = await github.list_issues({ owner: "acme", repo: "widgets", state: "opened" });
return { prs: prs.length, issues: issues.length };
