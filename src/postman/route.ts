/**
 * Which side of the gateway a request goes to. A debug502 collection tells it by the variable its
 * URL starts with — `{{gateway_url}}` or `{{backend_url}}` — and puts the backend's health request
 * in HEALTH_FOLDER. This is the one place that reads routes from a collection.
 */
import { HEALTH_FOLDER, HEALTH_REQUEST_NAME, ROUTE_VARIABLE, type Route } from '../model.js';

/** What an item is to debug502: one side of an endpoint pair, the backend's health check, or neither. */
export type ItemRoute = Route | 'health';

/** `{{gateway_url}}` / `{{backend_url}}` in a URL, compiled once: the newman adapter asks for every request. */
const ROUTE_PATTERNS = (Object.entries(ROUTE_VARIABLE) as [Route, string][]).map(
  ([route, variable]) => [route, new RegExp(`\\{\\{\\s*${variable}\\s*\\}\\}`)] as const,
);

/** Which route an (unresolved) URL belongs to, from the route variable it uses; null for neither. */
export function routeOfUrl(url: string): Route | null {
  for (const [route, pattern] of ROUTE_PATTERNS) if (pattern.test(url)) return route;
  return null;
}

/**
 * The route of an item from its unresolved URL and the names of the folders it sits in (outermost
 * first): `health` for the backend health request (HEALTH_FOLDER, or an item named HEALTH_REQUEST_NAME).
 */
export function routeOfItem(url: string, name: string, folders: readonly string[]): ItemRoute | null {
  const route = routeOfUrl(url);
  if (route === 'backend' && (folders.includes(HEALTH_FOLDER) || name === HEALTH_REQUEST_NAME)) return 'health';
  return route;
}

/** `GET {{gateway_url}}/api/users` → `GET /api/users`: the key that is the same on both routes. */
export function requestKeyOf(method: string, url: string): string {
  const stripped = url.replace(/^\{\{\s*[\w.-]+\s*\}\}/, '');
  return `${method.toUpperCase()} ${stripped || '/'}`;
}

/** Whether a collection's requests use a route variable anywhere (a debug502 collection does). */
export function usedRoutes(collection: { item?: unknown }): Route[] {
  const text = JSON.stringify(collection.item ?? []);
  return ROUTE_PATTERNS.filter(([, pattern]) => pattern.test(text)).map(([route]) => route);
}
