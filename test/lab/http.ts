import { request } from 'node:http';

/** What one request got: a status, or the transport error code. */
export interface Hit {
  status?: number;
  error?: string;
  body: string;
}

/** One request on its own connection (no pooling), so N calls at once are N connections at once. */
export function hit(baseUrl: string, path = '/api/users', init: { method?: string; body?: string; timeoutMs?: number } = {}): Promise<Hit> {
  return new Promise((resolve) => {
    const req = request(new URL(path, baseUrl), { method: init.method ?? 'GET', agent: false, headers: init.body ? { 'content-type': 'application/json' } : {} }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode, body }));
      res.on('error', (error: NodeJS.ErrnoException) => resolve({ status: res.statusCode, error: error.code ?? 'ERROR', body }));
    });
    req.setTimeout(init.timeoutMs ?? 10_000, () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? 'ERROR', body: '' }));
    req.end(init.body);
  });
}

/** `count` requests started together; results in start order. */
export function hitTogether(baseUrl: string, count: number, path = '/api/users'): Promise<Hit[]> {
  return Promise.all(Array.from({ length: count }, () => hit(baseUrl, path)));
}

/** `count` requests one after another. */
export async function hitInSequence(baseUrl: string, count: number, path = '/api/users'): Promise<Hit[]> {
  const hits: Hit[] = [];
  for (let i = 0; i < count; i += 1) hits.push(await hit(baseUrl, path));
  return hits;
}

/** True while a process (or, with a negative id, a process group) exists. */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
