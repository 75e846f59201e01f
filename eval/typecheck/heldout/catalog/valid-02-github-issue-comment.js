// typecheck-eval {"kind":"valid","servers":["github"]}
// File a follow-up issue and link it from the original one.
const created = await github.create_issue({ owner: "acme", repo: "widgets", title: "Follow-up: BOM handling in CLI", body: "Split from #412", labels: ["bug"] });
const { number, html_url } = created;
const comment = await github.add_issue_comment({ owner: "acme", repo: "widgets", issue_number: 412, body: `Follow-up filed as #${number}` });
return { issue: html_url, comment: comment.html_url };
