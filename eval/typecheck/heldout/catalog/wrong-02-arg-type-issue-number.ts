// typecheck-eval {"kind":"wrong","class":"wrong-arg-type","line":6,"expect":["number"],"servers":["github"]}
// Comments on the issue whose number was cut out of its URL, still a string.
const issues: any[] = (await github.list_issues({ owner: "acme", repo: "widgets" })) as any[];
const url: string = issues[0].html_url;
const issueNumber = url.split("/").pop()!;
await github.add_issue_comment({ owner: "acme", repo: "widgets", issue_number: issueNumber, body: "Looking into it" });
return issueNumber;
