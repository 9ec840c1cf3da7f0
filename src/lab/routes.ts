/** A request as the lab backend's routes see it: already read and decoded. */
export interface LabRequest {
  method: string;
  /** The path without the query string. */
  path: string;
  query: Record<string, string>;
  /** Parsed JSON when the body was JSON, the raw text otherwise, undefined when empty. */
  body?: unknown;
}

export interface LabResponse {
  status: number;
  body: unknown;
}

const USERS = [
  { id: 1, name: 'Ada Lovelace', email: 'ada@example.com' },
  { id: 2, name: 'Grace Hopper', email: 'grace@example.com' },
  { id: 3, name: 'Linus Torvalds', email: 'linus@example.com' },
];

/**
 * The lab backend's routes, as a pure function (faults are applied around it):
 * - `GET /health` → 200 `{"status":"ok"}`
 * - `GET /api/users` → 200 list; `POST /api/users` → 201 with the body echoed and an id
 * - `GET /api/users/:id` → 200 user (any numeric id; 404 for a non-numeric one)
 * - anything else under `/api` → 200 echo of method, path, query and body
 * - everything else → 404 `{"error":"not found",…}`
 */
export function routeLabRequest(request: LabRequest): LabResponse {
  const { method, path } = request;
  if (path === '/health' && (method === 'GET' || method === 'HEAD')) {
    return { status: 200, body: { status: 'ok' } };
  }
  if (path === '/api/users' || path === '/api/users/') {
    if (method === 'GET') return { status: 200, body: { users: USERS, page: request.query.page ?? '1' } };
    if (method === 'POST') {
      const fields = isObject(request.body) ? request.body : { value: request.body };
      return { status: 201, body: { id: USERS.length + 1, ...fields } };
    }
  }
  const user = /^\/api\/users\/([^/]+)$/.exec(path);
  if (user && method === 'GET') {
    const id = Number(user[1]);
    if (!Number.isInteger(id)) return notFound(request);
    const known = USERS.find((u) => u.id === id);
    return { status: 200, body: known ?? { id, name: `User ${id}`, email: `user${id}@example.com` } };
  }
  if (path === '/api' || path.startsWith('/api/')) {
    return { status: 200, body: { method, path, query: request.query, body: request.body ?? null } };
  }
  return notFound(request);
}

function notFound(request: LabRequest): LabResponse {
  return { status: 404, body: { error: 'not found', method: request.method, path: request.path } };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
