/**
 * Helpers for the explorer tests: a real HTTP server around the handler, raw requests over a
 * socket (for paths and headers a client library would refuse to send), and an SSE reader.
 */
import { once } from 'node:events';
import { createServer, request, type IncomingMessage, type Server, type ServerOptions } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import type { ConfigExplorer } from '../../src/operator/explorer/index.js';

export interface Served {
  server: Server;
  port: number;
  base: string;
  close(): Promise<void>;
}

/** Listens on a free loopback port. */
export async function serve(handler: ConfigExplorer, options: ServerOptions = {}): Promise<Served> {
  const server = createServer(options, handler);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    base: `http://127.0.0.1:${port}`,
    async close() {
      handler.close();
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

export interface Reply {
  status: number;
  headers: IncomingMessage['headers'];
  body: string;
  json<T = any>(): T;
}

/** A GET (or other method) with optional headers. */
export function call(port: number, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body) }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Writes a raw request; resolves with the status code of the answer (0 if the socket closed without one). */
export function rawStatus(port: number, text: string): Promise<number> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(text));
    let data = '';
    socket.setEncoding('latin1');
    socket.on('data', (c: string) => (data += c));
    socket.on('error', () => {});
    socket.on('close', () => {
      const m = /^HTTP\/1\.1 (\d{3})/.exec(data);
      resolve(m ? Number(m[1]) : 0);
    });
  });
}

export interface SseEvent {
  event: string;
  data: any;
}

/** An open event stream: collects events and lets a test wait for one. */
export interface EventStream {
  status: number;
  events: SseEvent[];
  next(event: string, pred?: (data: any) => boolean, timeoutMs?: number): Promise<any>;
  close(): void;
}

export function openEvents(port: number, path: string, headers: Record<string, string> = {}): Promise<EventStream> {
  return new Promise((resolve, reject) => {
    const events: SseEvent[] = [];
    const waiters: { event: string; pred: (d: any) => boolean; resolve: (d: any) => void }[] = [];
    const req = request({ host: '127.0.0.1', port, path, headers, agent: false }, (res) => {
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        buf += c;
        let i: number;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          let event = 'message';
          let data = '';
          for (const line of block.split('\n')) {
            if (line.startsWith('event: ')) event = line.slice(7);
            else if (line.startsWith('data: ')) data += line.slice(6);
          }
          if (!data) continue;
          const e = { event, data: JSON.parse(data) };
          events.push(e);
          for (const w of [...waiters]) {
            if (w.event === e.event && w.pred(e.data)) {
              waiters.splice(waiters.indexOf(w), 1);
              w.resolve(e.data);
            }
          }
        }
      });
      res.on('error', () => {});
      resolve({
        status: res.statusCode ?? 0,
        events,
        next(event, pred = () => true, timeoutMs = 10_000) {
          const hit = events.find((e) => e.event === event && pred(e.data));
          if (hit) return Promise.resolve(hit.data);
          return new Promise((res2, rej2) => {
            const timer = setTimeout(() => rej2(new Error(`timed out waiting for event ${event}`)), timeoutMs);
            waiters.push({ event, pred, resolve: (d) => (clearTimeout(timer), res2(d)) });
          });
        },
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** A config of roughly `bytes` of YAML-free JSON: many services, each with a secret. */
export function bigConfig(bytes: number, secret: string): Record<string, unknown> {
  const services: Record<string, unknown> = {};
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const s = { host: `svc-${i}.internal`, port: 8000 + (i % 1000), tags: ['a', 'b', `t${i % 7}`], password: `${secret}-${i}`, limits: { rps: i % 500, burst: 10 } };
    services[`s${i}`] = s;
    size += JSON.stringify(s).length + 8;
  }
  return { services };
}
