/**
 * The explorer's Server-Sent Events: a bounded set of clients (more are refused), a heartbeat, a
 * per-client backlog cap (a client that stops reading is dropped, never buffered without end),
 * and a health watch that tells clients when a status changes. Timers run only while a client is
 * connected and never keep the process alive.
 */
import type { ServerResponse } from 'node:http';
import { COMMON_HEADERS, HttpProblem, type Exchange } from './http.js';

const BACKLOG_LIMIT = 1024 * 1024;
const HEARTBEAT_MS = 15_000;

export interface EventHubOptions {
  maxClients: number;
  /** How often `watch` is polled while clients are connected. */
  watchIntervalMs: number;
  /** A signature and payload of what clients should hear about when it changes (health), if anything. */
  watch?: () => { signature: string; data: unknown } | undefined;
}

/** The event streams of one explorer. */
export class EventHub {
  readonly #clients = new Set<ServerResponse>();
  readonly #options: EventHubOptions;
  #heartbeat: NodeJS.Timeout | undefined;
  #watcher: NodeJS.Timeout | undefined;
  #lastSignature: string | undefined;
  #closed = false;

  constructor(options: EventHubOptions) {
    this.#options = options;
  }

  /**
   * Turns the exchange into an event stream that starts with `hello`.
   * @throws HttpProblem 503 when full or closed
   */
  open(ex: Exchange, hello: unknown): void {
    if (this.#closed) throw new HttpProblem(503, 'closed', 'the explorer is closed');
    if (this.#clients.size >= this.#options.maxClients) {
      throw new HttpProblem(503, 'too_many_clients', `at most ${this.#options.maxClients} event streams at once`, { 'retry-after': '10' });
    }
    const { req, res } = ex;
    this.#clients.add(res);
    req.socket.setTimeout(0);
    req.socket.setNoDelay(true);
    res.writeHead(200, { ...COMMON_HEADERS, ...ex.cors, 'content-type': 'text/event-stream; charset=utf-8', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    const drop = () => this.#drop(res);
    req.on('close', drop);
    res.on('close', drop);
    res.on('error', drop);
    res.write('retry: 3000\n\n');
    this.#write(res, frame('hello', hello));
    this.#start();
  }

  /** Sends one event to every client. */
  broadcast(event: string, data: unknown, id?: number): void {
    if (this.#clients.size === 0) return;
    const text = frame(event, data, id);
    for (const res of [...this.#clients]) this.#write(res, text);
  }

  /** Ends every stream and stops the timers; later `open`s get 503. */
  close(): void {
    this.#closed = true;
    for (const res of [...this.#clients]) {
      this.#clients.delete(res);
      res.end();
    }
    this.#stop();
  }

  #write(res: ServerResponse, text: string): void {
    if (res.destroyed || res.writableLength > BACKLOG_LIMIT) {
      this.#drop(res);
      return;
    }
    res.write(text);
  }

  #drop(res: ServerResponse): void {
    if (!this.#clients.delete(res)) return;
    res.destroy();
    if (this.#clients.size === 0) this.#stop();
  }

  #start(): void {
    this.#heartbeat ??= setInterval(() => {
      for (const res of [...this.#clients]) this.#write(res, ': ping\n\n');
    }, HEARTBEAT_MS).unref();
    const watch = this.#options.watch;
    if (watch && !this.#watcher) {
      this.#lastSignature = watch()?.signature;
      this.#watcher = setInterval(() => {
        try {
          const now = watch();
          if (now && now.signature !== this.#lastSignature) {
            this.#lastSignature = now.signature;
            this.broadcast('health', now.data);
          }
        } catch {
          // A watch that throws never breaks the streams.
        }
      }, this.#options.watchIntervalMs).unref();
    }
  }

  #stop(): void {
    if (this.#heartbeat) clearInterval(this.#heartbeat);
    if (this.#watcher) clearInterval(this.#watcher);
    this.#heartbeat = this.#watcher = undefined;
  }
}

function frame(event: string, data: unknown, id?: number): string {
  return `event: ${event}\n${id !== undefined ? `id: ${id}\n` : ''}data: ${JSON.stringify(data)}\n\n`;
}
