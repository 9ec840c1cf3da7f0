/** Postman Collection v3 (Postman v12, Native Git): directories of YAML, read into and written from v2.1. */
export { readV3Collection, isV3CollectionDir } from './read-v3-collection.js';
export { writeV3Collection, v3CollectionDirName, type V2CollectionJson } from './write-v3-collection.js';
export { writeV3Environment, v3EnvironmentFileName } from './write-v3-environment.js';
export { toFileSafeName, uniqueFileNames, type V3File } from './v3-format.js';
