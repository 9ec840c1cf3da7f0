/** The generate room: ResolvedConfig in, a Postman v2.1.0 collection and environment files out. */
export { buildCollection, COLLECTION_SCHEMA_URL, collectionFileName, serializeCollection, slugify, statusTestName, MAX_RESPONSE_TIME_VARIABLE, type PostmanCollectionJson } from './build-collection.js';
export { buildEnvironment, environmentFileName, type PostmanEnvironmentFile, type PostmanEnvironmentValue } from './build-environment.js';
export { COLLECTION_FORMATS, generate, planGeneratedFiles, planV3Collection, planV3Environments, serializeJson, type CollectionFormat, type GeneratedFiles, type GenerateOptions, type V3CollectionPlan } from './generate.js';
export { stableUuid } from './stable-id.js';
