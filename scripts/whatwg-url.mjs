// Stands in for the npm package whatwg-url in the bundles. node-fetch (under the Kubernetes client) reaches for it
// only when Node has no URL class (`Url.URL || whatwgUrl.URL`), which no Node Shipgate runs on lacks; the package is
// a quarter of a megabyte of Unicode tables.
export const URL = globalThis.URL;
export default { URL };
