// typecheck-eval {"kind":"wrong","class":"wrong-enum","line":5,"expect":["\"driving\""],"servers":["google-maps"]}
// Directions by car, with a travel mode the API does not know.
const office: any = await google_maps.maps_geocode({ address: "10 Downing St, London" });
const origin = office.formatted_address as string;
const route = await google_maps.maps_directions({ origin, destination: "Oxford, UK", mode: "car" });
return route;
