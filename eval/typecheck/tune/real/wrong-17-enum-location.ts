// typecheck-eval {"kind":"wrong","class":"wrong-enum","line":5,"expect":["\"Chicago\"","\"New York\""],"servers":["everything"]}
// Weather for three cities, one of which the tool does not know.
const chicago = await everything.get_structured_content({ location: "Chicago" });
const readings = [chicago.temperature];
const boston = await everything.get_structured_content({ location: "Boston" });
readings.push(boston.temperature);
return Math.max(...readings);
