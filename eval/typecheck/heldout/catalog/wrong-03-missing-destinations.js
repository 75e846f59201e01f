// typecheck-eval {"kind":"wrong","class":"missing-arg","line":5,"expect":["destinations"],"servers":["google-maps"]}
// Travel times from the office, but no destinations given.
const office = await google_maps.maps_geocode({ address: "10 Downing St, London" });
const origin = office.formatted_address;
const matrix = await google_maps.maps_distance_matrix({ origins: [origin], mode: "driving" });
return matrix;
