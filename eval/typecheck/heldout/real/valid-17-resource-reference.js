// typecheck-eval {"kind":"valid","servers":["everything"]}
// Fetch a text resource reference and pull out its URI and text.
const parts = await everything.get_resource_reference({ resourceType: "Text", resourceId: 4 });
const list = Array.isArray(parts) ? parts : [parts];
const resource = list.find((p) => p && typeof p === "object" && p.type === "resource");
const notes = list.filter((p) => typeof p === "string");
return { uri: resource?.uri, text: resource?.text?.split(":")[0], notes: notes.length };
