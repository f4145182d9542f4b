/**
 * The one WebSocket client every venue uses: connection status, reconnect with exponential backoff
 * and jitter (capped), an application keepalive, an idle timeout, a maximum connection lifetime
 * (Binance's 24 hours), resubscription through `onOpen` after every reconnect, and the counters
 * the metrics read (reconnections, last message time).
 * @module
 */
import type { Logger } from "@shared/obs/mod.ts";
import type { ConnectionStatus } from "./connection.ts";
import { backoffDelay, type BackoffOptions } from "./retry.ts";
import { toVenueError, VenueError } from "./venue_error.ts";

/** Options of {@linkcode WsClient}. */
export interface WsClientOptions {
  /** The venue's name, for errors and logs. */
  venue: string;
  /** The URL to open, asked again before every connect (it may carry the current streams). */
  url: () => string;
  /** Text frames as they arrive, with the receive time (ms since the epoch, sub-ms precise). */
  onMessage: (text: string, receivedMs: number) => void;
  /** After every (re)connect: send the subscriptions. A throw drops the connection. */
  onOpen?: (client: WsClient) => void | Promise<void>;
  /** Every status change, with the error that caused it when there is one. */
  onStatus?: (status: ConnectionStatus, error?: VenueError) => void;
  /** Application keepalive: `message()` is sent every `intervalMs` while open. */
  keepalive?: { intervalMs: number; message: () => string };
  /** Reconnect when no frame arrives for this long (default 60 000 ms; 0 disables). */
  idleTimeoutMs?: number;
  /** Reconnect proactively after this long (Binance drops connections at 24 h). */
  maxLifetimeMs?: number;
  /** Give up on an open attempt after this long (default 10 000 ms). */
  connectTimeoutMs?: number;
  /** Reconnect backoff (defaults: 500 ms doubling to 30 s, half jitter). */
  backoff?: BackoffOptions;
  /** Consecutive failed attempts before status `error` (default: never give up). */
  maxAttempts?: number;
  logger?: Logger;
}

const DEFAULT_IDLE_MS = 60_000;
const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
/** A connection open this long counts as healthy: the next drop reconnects at once. */
const STABLE_MS = 5_000;

/** A reconnecting WebSocket. `connect()` once; it reconnects until `close()`. */
export class WsClient {
  readonly options: WsClientOptions;
  #status: ConnectionStatus = "disconnected";
  #socket: WebSocket | undefined;
  #closed = false;
  #reconnections = 0;
  #messages = 0;
  #lastMessageMs: number | undefined;
  #openedMs: number | undefined;
  #failures = 0;
  #lastError: VenueError | undefined;
  #sessionError: VenueError | undefined;
  #loop: Promise<void> | undefined;
  #wake: (() => void) | undefined;
  #firstOpen = Promise.withResolvers<void>();

  constructor(options: WsClientOptions) {
    this.options = options;
    this.#firstOpen.promise.catch(() => {});
  }

  /** The current status. */
  get status(): ConnectionStatus {
    return this.#status;
  }

  /** Reconnects after a dropped or failed connection (the first connect not included). */
  get reconnections(): number {
    return this.#reconnections;
  }

  /** Text frames received. */
  get messages(): number {
    return this.#messages;
  }

  /** When the last frame arrived (ms since the epoch), undefined before the first. */
  get lastMessageMs(): number | undefined {
    return this.#lastMessageMs;
  }

  /** The error behind the last drop or failed attempt. */
  get lastError(): VenueError | undefined {
    return this.#lastError;
  }

  /**
   * Starts the connection loop; resolves once the first connection is open (and `onOpen` ran),
   * rejects when the loop gives up first (a permanent error or `maxAttempts`) or `close()` is
   * called before.
   */
  connect(): Promise<void> {
    if (this.#closed) return Promise.reject(new VenueError("closed", "client is closed", this.#v));
    this.#loop ??= this.#run();
    return this.#firstOpen.promise;
  }

  /** Sends a text frame; false when not connected. */
  send(text: string): boolean {
    const socket = this.#socket;
    if (socket === undefined || socket.readyState !== WebSocket.OPEN) return false;
    socket.send(text);
    return true;
  }

  /** Drops the current connection and reconnects (after a server shutdown notice, for one). */
  reconnect(reason: string): void {
    this.options.logger?.info("Reconnecting", { venue: this.options.venue, reason });
    this.#socket?.close(1000, reason.slice(0, 100));
  }

  /** Stops reconnecting and closes the socket; resolves when the loop has ended. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#wake?.();
    const socket = this.#socket;
    if (socket !== undefined && socket.readyState <= WebSocket.OPEN) socket.close(1000, "closing");
    this.#firstOpen.reject(new VenueError("closed", "client closed before connecting", this.#v));
    await this.#loop;
    this.#setStatus("disconnected");
  }

  get #v(): { venue: string } {
    return { venue: this.options.venue };
  }

  async #run(): Promise<void> {
    const { maxAttempts = Infinity } = this.options;
    let attempt = 0;
    while (!this.#closed) {
      this.#setStatus(
        this.#openedMs === undefined && attempt === 0 ? "connecting" : "reconnecting",
      );
      this.#sessionError = undefined;
      const opened = await this.#session();
      if (this.#closed) break;
      if (this.#sessionError as VenueError | undefined) this.#lastError = this.#sessionError;
      // A connection that lived a while resets the backoff; one dropped at once does not, so a
      // venue that accepts and drops straight away still sees growing delays.
      const stable = opened && Date.now() - (this.#openedMs ?? 0) >= STABLE_MS;
      if (opened) this.#failures = 0;
      else this.#failures++;
      if (stable) attempt = 0;
      const error = this.#sessionError as VenueError | undefined;
      if (error !== undefined && !error.isRetryable || this.#failures >= maxAttempts) {
        this.#setStatus("error", error);
        this.#firstOpen.reject(error ?? new VenueError("connection", "gave up", this.#v));
        return;
      }
      this.#reconnections++;
      this.#setStatus("reconnecting", error);
      const delay = stable ? 0 : Math.max(
        backoffDelay(attempt++, this.options.backoff),
        Math.min(error?.retryAfterMs ?? 0, this.options.backoff?.maxMs ?? 30_000),
      );
      this.options.logger?.warn("Venue connection lost", {
        venue: this.options.venue,
        error: error?.message,
        retryInMs: delay,
        reconnections: this.#reconnections,
      });
      await this.#sleep(delay);
    }
  }

  /** One connection from open to close; true when it opened. */
  async #session(): Promise<boolean> {
    let url: string;
    try {
      url = this.options.url();
    } catch (error) {
      this.#sessionError = toVenueError(this.options.venue, error);
      return false;
    }
    let socket: WebSocket;
    try {
      socket = new WebSocket(url);
    } catch (error) {
      // A malformed URL: permanent, the loop gives up with status `error`.
      this.#sessionError = new VenueError("rejected", `cannot open ${url}: ${String(error)}`, {
        ...this.#v,
        cause: error,
      });
      return false;
    }
    this.#socket = socket;
    const done = Promise.withResolvers<boolean>();
    let opened = false;
    const timers: ReturnType<typeof setTimeout>[] = [];
    const intervals: ReturnType<typeof setInterval>[] = [];
    const fail = (error: VenueError) => {
      this.#sessionError ??= error;
      if (socket.readyState <= WebSocket.OPEN) socket.close(4000, error.message.slice(0, 100));
    };
    timers.push(setTimeout(() => {
      if (!opened) {
        fail(new VenueError("connection", `no connection to ${url} within timeout`, this.#v));
      }
    }, this.options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS));

    socket.onopen = async () => {
      opened = true;
      const openedMs = Date.now();
      this.#openedMs = openedMs;
      const idle = this.options.idleTimeoutMs ?? DEFAULT_IDLE_MS;
      if (idle > 0) {
        intervals.push(setInterval(() => {
          if (Date.now() - Math.max(openedMs, this.#lastMessageMs ?? 0) > idle) {
            fail(new VenueError("connection", `no message for ${idle} ms`, this.#v));
          }
        }, Math.max(10, Math.min(1000, idle / 4))));
      }
      const { keepalive, maxLifetimeMs } = this.options;
      if (keepalive !== undefined) {
        intervals.push(setInterval(() => this.send(keepalive.message()), keepalive.intervalMs));
      }
      if (maxLifetimeMs !== undefined) {
        timers.push(setTimeout(() => this.reconnect("connection lifetime reached"), maxLifetimeMs));
      }
      try {
        await this.options.onOpen?.(this);
      } catch (error) {
        fail(toVenueError(this.options.venue, error));
        return;
      }
      if (socket.readyState !== WebSocket.OPEN) return;
      this.#setStatus("connected");
      this.#firstOpen.resolve();
    };
    socket.onmessage = (event) => {
      const receivedMs = performance.timeOrigin + performance.now();
      this.#messages++;
      this.#lastMessageMs = receivedMs;
      const text = typeof event.data === "string"
        ? event.data
        : new TextDecoder().decode(event.data as ArrayBuffer);
      try {
        this.options.onMessage(text, receivedMs);
      } catch (error) {
        // A handler bug must not take the process (or the connection) down.
        this.options.logger?.error("Message handler failed", {
          venue: this.options.venue,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    };
    socket.onerror = (event) => {
      const message = (event as ErrorEvent).message ?? "WebSocket error";
      this.#sessionError ??= new VenueError("connection", message, this.#v);
    };
    socket.onclose = (event) => {
      if (this.#sessionError === undefined && !this.#closed) {
        this.#sessionError = new VenueError(
          event.code === 1013 || event.code === 1008 ? "rate_limit" : "connection",
          `connection closed (code ${event.code}${event.reason ? `, ${event.reason}` : ""})`,
          this.#v,
        );
      }
      done.resolve(opened);
    };
    const result = await done.promise;
    for (const timer of timers) clearTimeout(timer);
    for (const interval of intervals) clearInterval(interval);
    this.#socket = undefined;
    return result;
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#wake = undefined;
        resolve();
      }, ms);
      this.#wake = () => {
        clearTimeout(timer);
        this.#wake = undefined;
        resolve();
      };
    });
  }

  #setStatus(status: ConnectionStatus, error?: VenueError): void {
    if (status === this.#status) return;
    this.#status = status;
    this.options.onStatus?.(status, error);
  }
}
