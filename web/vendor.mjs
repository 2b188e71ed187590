// Copy the built front-end libraries and their licences into the Python package, so that
// `tidings serve` works offline and users need no Node. Run: npm install && npm run vendor
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";

const target = "../src/tidings/web/static/vendor";
const files = {
  "leaflet/dist/leaflet.js": "leaflet/leaflet.js",
  "leaflet/dist/leaflet.css": "leaflet/leaflet.css",
  "leaflet/dist/images/marker-icon.png": "leaflet/images/marker-icon.png",
  "leaflet/dist/images/marker-icon-2x.png": "leaflet/images/marker-icon-2x.png",
  "leaflet/dist/images/marker-shadow.png": "leaflet/images/marker-shadow.png",
  "leaflet/dist/images/layers.png": "leaflet/images/layers.png",
  "leaflet/dist/images/layers-2x.png": "leaflet/images/layers-2x.png",
  "leaflet/LICENSE": "leaflet/LICENSE",
  "leaflet.markercluster/dist/leaflet.markercluster.js": "markercluster/leaflet.markercluster.js",
  "leaflet.markercluster/dist/MarkerCluster.css": "markercluster/MarkerCluster.css",
  "leaflet.markercluster/dist/MarkerCluster.Default.css": "markercluster/MarkerCluster.Default.css",
  "leaflet.markercluster/MIT-LICENCE.txt": "markercluster/LICENSE",
  "topojson-client/dist/topojson-client.min.js": "topojson-client/topojson-client.min.js",
  "topojson-client/LICENSE": "topojson-client/LICENSE",
  "world-atlas/countries-50m.json": "world-atlas/countries-50m.json",
  "world-atlas/LICENSE": "world-atlas/LICENSE",
};
for (const [from, to] of Object.entries(files)) {
  const dest = join(target, to);
  mkdirSync(dirname(dest), { recursive: true });
  copyFileSync(join("node_modules", from), dest);
  console.log(`${from} -> ${dest}`);
}
