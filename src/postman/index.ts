/**
 * The postman room: the one place that knows collection structure — loading files, walking items,
 * finding folders, routes, variables, and request descriptions (plain data: method, URL, headers,
 * body, auth applied).
 */
export { loadCollection, loadEnvironment, parseEnvVar, applyEnvVars, variableValue, type PostmanCollection, type PostmanEnvironment, type PostmanVariable } from './load.js';
export { listRequestItems, countRequests, findItem, findFolder, findRouteFolder, narrowToFolders, selectRequestItems, itemPath, isFolder, type ItemJson, type RequestItemAt } from './items.js';
export { routeOfUrl, routeOfItem, requestKeyOf, usedRoutes, type ItemRoute } from './route.js';
export { createTextResolver, drawDynamicVariables, findUnresolvedVariables, type VariableSources, type ResolveText, type ResolvedText } from './variables.js';
export { applyAuth, SUPPORTED_AUTH_TYPES, type AppliedAuth } from './auth.js';
export { describeBody, encodeForm, encodeMultipart, type RequestBody, type BodyMode } from './body.js';
export { findUserScripts, isUserScript, GENERATED_SCRIPT_MARK, type ScriptAt } from './scripts.js';
export { describeRequests, drawRequest, type RequestDescription, type DescribeInput, type DescribedRequests } from './describe-request.js';
