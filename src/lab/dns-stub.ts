import { createSocket, type RemoteInfo } from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { LOOPBACK } from './ports.js';

export interface DnsStub {
  port: number;
  close(): Promise<void>;
}

const TYPE_A = 1;
const RCODE_NXDOMAIN = 3;
const RCODE_FORMERR = 1;

/**
 * A tiny DNS server on 127.0.0.1 (UDP) for nginx's `resolver`: it answers A queries with what this
 * machine's own resolver (getaddrinfo) says, and NXDOMAIN when that fails — so an unresolvable
 * upstream such as `backend.invalid` fails in nginx exactly as in a DNS outage
 * ("could not be resolved (3: Host not found)"), without any traffic leaving loopback: a name under
 * `.invalid` (the only kind the lab accepts besides loopback) is NXDOMAIN without a lookup.
 */
export async function startDnsStub(): Promise<DnsStub> {
  const socket = createSocket('udp4');
  socket.on('message', (message: Buffer, remote: RemoteInfo) => {
    void answerQuery(message).then((reply) => {
      if (reply) socket.send(reply, remote.port, remote.address);
    });
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, LOOPBACK, () => resolve());
  });
  return {
    port: socket.address().port,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

/** Builds the reply to one DNS query packet; null when it is too short to answer at all. */
export async function answerQuery(query: Buffer): Promise<Buffer | null> {
  if (query.length < 12) return null;
  const question = readQuestion(query);
  if (!question) return buildReply(query, 12, RCODE_FORMERR, []);
  if (question.type !== TYPE_A) return buildReply(query, question.end, 0, []);
  // RFC 6761: names under .invalid never resolve, so they are not looked up — no query leaves this machine.
  if (/(^|\.)invalid\.?$/i.test(question.name)) return buildReply(query, question.end, RCODE_NXDOMAIN, []);
  try {
    const found = await lookup(question.name, { family: 4, all: true });
    return buildReply(query, question.end, 0, found.map((a) => a.address));
  } catch {
    return buildReply(query, question.end, RCODE_NXDOMAIN, []);
  }
}

function readQuestion(query: Buffer): { name: string; type: number; end: number } | null {
  const labels: string[] = [];
  let offset = 12;
  while (offset < query.length) {
    const length = query[offset];
    if (length === 0) break;
    if (length > 63 || offset + 1 + length > query.length) return null;
    labels.push(query.toString('ascii', offset + 1, offset + 1 + length));
    offset += 1 + length;
  }
  if (offset + 5 > query.length) return null;
  return { name: labels.join('.'), type: query.readUInt16BE(offset + 1), end: offset + 5 };
}

function buildReply(query: Buffer, questionEnd: number, rcode: number, addresses: string[]): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(query.readUInt16BE(0), 0); // id
  const recursionDesired = query.readUInt16BE(2) & 0x0100;
  header.writeUInt16BE(0x8000 | recursionDesired | 0x0080 | rcode, 2); // QR, RD copied, RA, rcode
  header.writeUInt16BE(questionEnd > 12 ? 1 : 0, 4);
  header.writeUInt16BE(addresses.length, 6);
  const answers = addresses.map((address) => {
    const record = Buffer.alloc(16);
    record.writeUInt16BE(0xc00c, 0); // name: pointer to the question
    record.writeUInt16BE(TYPE_A, 2);
    record.writeUInt16BE(1, 4); // class IN
    record.writeUInt32BE(1, 6); // TTL 1 s
    record.writeUInt16BE(4, 10);
    address.split('.').forEach((part, i) => record.writeUInt8(Number(part), 12 + i));
    return record;
  });
  return Buffer.concat([header, query.subarray(12, questionEnd), ...answers]);
}
