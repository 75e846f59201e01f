// typecheck-eval {"kind":"wrong","class":"wrong-enum","line":5,"expect":["\"Text\"","\"Blob\""],"servers":["everything"]}
// Fetches resource links, then a reference with the resource type in lower case.
const links = await everything.get_resource_links({ count: 1 });
console.log(Array.isArray(links) ? links.length : 1);
const ref = await everything.get_resource_reference({ resourceType: "text", resourceId: 1 });
return ref;
