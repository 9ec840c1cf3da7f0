/**
 * What a collection sends, request by request, as plain comparable data — read through the
 * postman-collection SDK (what newman runs), so two collections in different shapes (a v2.1 file, a
 * v3 directory read back) compare by what they would send, not by how they spell it.
 */
import postmanCollection from 'postman-collection';

const { Collection } = postmanCollection;
type Node = { name: string; events: { listeners(name: string): { script?: { exec?: string[] } }[] }; parent(): Node | undefined };

export interface RequestSummary {
  path: string;
  method: string;
  url: string;
  pathVariables: string[];
  headers: string[];
  body: unknown;
  auth: { type: string; params: string[] } | null;
  prerequest: string[];
  test: string[];
}

export function summarizeRequests(json: object): { variables: string[]; requests: RequestSummary[] } {
  const collection = new Collection(json as ConstructorParameters<typeof Collection>[0]);
  const requests: RequestSummary[] = [];
  collection.forEachItem((item) => {
    const chain: Node[] = [];
    for (let node: Node | undefined = item as unknown as Node; node; node = node.parent()) chain.unshift(node);
    const scripts = (listen: string) => chain.flatMap((node) => node.events.listeners(listen))
      .map((event) => (event.script?.exec ?? []).join('\n')).filter((code) => code.trim() !== '');
    const request = item.request;
    const auth = item.getAuth();
    requests.push({
      path: chain.slice(1).map((node) => node.name).join(' / '),
      method: request.method,
      url: request.url.toString(),
      pathVariables: request.url.variables.all().map((v) => `${v.key}=${v.value ?? ''}`),
      headers: request.headers.all().filter((h) => !h.disabled).map((h) => `${h.key}: ${h.value}`),
      body: summarizeBody(request.body?.toJSON() as Record<string, unknown> | undefined),
      auth: auth && auth.type !== 'noauth' ? { type: auth.type, params: auth.parameters().all().map((p) => `${p.key}=${typeof p.value === 'string' ? p.value : JSON.stringify(p.value)}`) } : null,
      prerequest: scripts('prerequest'),
      test: scripts('test'),
    });
  });
  const variables = collection.variables.all().filter((v) => !v.disabled).map((v) => `${v.key}=${v.value}`);
  return { variables, requests };
}

function summarizeBody(body: Record<string, unknown> | undefined): unknown {
  if (!body || !body.mode) return null;
  const pairs = (list: unknown) => ((list ?? []) as { key: string; value?: string; src?: string; disabled?: boolean }[])
    .filter((p) => !p.disabled).map((p) => `${p.key}=${p.value ?? p.src ?? ''}`);
  switch (body.mode) {
    case 'raw': return { raw: body.raw ?? '' };
    case 'urlencoded': return { urlencoded: pairs(body.urlencoded) };
    case 'formdata': return { formdata: pairs(body.formdata) };
    case 'graphql': return { graphql: body.graphql };
    case 'file': return { file: (body.file as { src?: string } | undefined)?.src ?? null };
    default: return null;
  }
}
