// typecheck-eval {"kind":"valid","servers":["github"]}
// Open issues of acme/widgets grouped by label, skipping pull requests.
const issues = await github.list_issues({ owner: "acme", repo: "widgets", state: "open", per_page: 50 });
const byLabel = {};
for (const issue of issues) {
  if (issue.pull_request) continue;
  for (const label of issue.labels) {
    (byLabel[label.name] ||= []).push(`#${issue.number} ${issue.title}`);
  }
}
const busiest = issues.slice().sort((a, b) => b.comments - a.comments)[0];
return { byLabel, busiest: busiest?.number };
