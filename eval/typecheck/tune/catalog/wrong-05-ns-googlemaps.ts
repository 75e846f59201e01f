// typecheck-eval {"kind":"wrong","class":"misspelled-namespace","line":5,"expect":["google_maps"],"servers":["google-maps"]}
// Geocodes the office, then asks for directions through a camelCase namespace.
const office: any = await google_maps.maps_geocode({ address: "10 Downing St, London" });
const origin = `${office.location.lat},${office.location.lng}`;
const route: any = await googleMaps.maps_directions({ origin, destination: "Oxford, UK", mode: "transit" });
return route;
