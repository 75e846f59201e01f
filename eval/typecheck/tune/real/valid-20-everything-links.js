// typecheck-eval {"kind":"valid","servers":["everything"]}
// List the resource links the server offers, keeping only the link objects.
const links = await everything.get_resource_links({ count: 4 });
const items = (Array.isArray(links) ? links : [links]).filter((x) => x && typeof x === "object" && x.uri);
return items.map(({ name, uri, mimeType }) => ({ name, uri, text: mimeType?.startsWith("text/") ?? false }));
