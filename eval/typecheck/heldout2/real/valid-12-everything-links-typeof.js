// typecheck-eval {"kind":"valid","servers":["everything"]}
// Split the resource-link answer into its text parts and its links.
const answer = await everything.get_resource_links({ count: 4 });
const parts = Array.isArray(answer) ? answer : [answer];
const texts = [];
const links = [];
for (const part of parts) {
  if (typeof part === "string") texts.push(part);
  else if (part && typeof part === "object" && "uri" in part) links.push({ uri: part.uri, name: part.name ?? part.uri });
}
const kinds = links.map((l) => (l.uri.match(/\/(text|blob)\//) || [])[1] || "other");
return { intro: texts[0], links, kinds };
