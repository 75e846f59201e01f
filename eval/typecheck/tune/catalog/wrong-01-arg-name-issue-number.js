// typecheck-eval {"kind":"wrong","class":"wrong-arg-name","line":5,"expect":["issue_number"],"servers":["github"]}
// Fetches the busiest issue by passing number instead of issue_number.
const issues = await github.list_issues({ owner: "acme", repo: "widgets", state: "open" });
const busiest = issues.reduce((a, b) => (b.comments > a.comments ? b : a));
const detail = await github.get_issue({ owner: "acme", repo: "widgets", number: busiest.number });
return { title: detail.title, assignees: detail.assignees.map((a) => a.login) };
