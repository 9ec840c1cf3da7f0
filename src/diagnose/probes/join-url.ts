/**
 * base + path the way Postman joins `{{backend_url}}/api/users`: text concatenation, so a base
 * with a path prefix (`http://host/v1`) keeps it. A trailing "/" on base is not doubled.
 */
export function joinUrl(base: URL, path: string): URL {
  const head = base.href.endsWith('/') ? base.href.slice(0, -1) : base.href;
  return new URL(head + (path.startsWith('/') ? path : `/${path}`));
}
