/**
 * The fast engine's connections, one Http1Agent per client certificate: newman sends the
 * certificate its list matches to the request's URL (postman/client-tls.ts), so two requests to
 * one origin may present different certificates — and a connection, once handshaken, has one.
 * Without `--ssl-client-cert*` there is one agent, as before.
 */
import { createClientSecureContext, findClientCertificate, type ClientCertificate } from '../postman/client-tls.js';
import type { EngineInput } from './engine.js';
import { Http1Agent } from './fast-http1.js';

export class FastAgents {
  private readonly agents = new Map<ClientCertificate | undefined, Http1Agent>();

  constructor(private readonly input: Pick<EngineInput, 'insecure' | 'tls'>) {}

  /** The agent for a request to `url` (its URL before any redirect: the certificate stays for the hops, as in postman-request). */
  pick(url: string): Http1Agent {
    const certificate = findClientCertificate(this.input.tls, url);
    let agent = this.agents.get(certificate);
    if (!agent) {
      const secureContext = createClientSecureContext(this.input.tls, certificate);
      agent = new Http1Agent({ rejectUnauthorized: !this.input.insecure, ...(secureContext ? { secureContext } : {}) });
      this.agents.set(certificate, agent);
    }
    return agent;
  }

  /** Closes every connection of every agent. */
  async close(): Promise<void> {
    await Promise.all([...this.agents.values()].map((agent) => agent.close()));
  }
}
