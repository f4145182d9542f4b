/**
 * A rate-limited queue for control messages: Binance disconnects a connection that sends more than
 * 5 messages per second (pings, pongs and JSON control messages all count), so SUBSCRIBE,
 * UNSUBSCRIBE and keepalive requests wait their turn here.
 * @module
 */

/** Options of {@linkcode ControlQueue}. */
export interface ControlQueueOptions {
  /** Sends one text frame; false when not connected (the message is then dropped). */
  send: (text: string) => boolean;
  /** Messages per window (default 5). */
  limit?: number;
  /**
   * The sliding window, ms (default 1 050: one second plus a margin, so network jitter never
   * puts six messages inside the server's one-second window).
   */
  windowMs?: number;
}

/** Sends at most `limit` messages per `windowMs`, in order, queueing the rest. */
export class ControlQueue {
  readonly #send: (text: string) => boolean;
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #queue: string[] = [];
  readonly #sentAt: number[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: ControlQueueOptions) {
    this.#send = options.send;
    this.#limit = Math.max(1, options.limit ?? 5);
    this.#windowMs = options.windowMs ?? 1_050;
  }

  /** Messages waiting for their turn. */
  get pending(): number {
    return this.#queue.length;
  }

  /** Queues `text` and sends what the rate allows now. */
  enqueue(text: string): void {
    this.#queue.push(text);
    this.#drain();
  }

  /** Forgets queued messages (after a reconnect the URL carries the subscriptions). */
  clear(): void {
    this.#queue.length = 0;
  }

  /** Forgets queued messages and stops the timer. */
  close(): void {
    this.clear();
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #drain(): void {
    if (this.#timer !== undefined) return;
    while (this.#queue.length > 0) {
      const now = performance.now();
      while (this.#sentAt.length > 0 && now - this.#sentAt[0]! >= this.#windowMs) {
        this.#sentAt.shift();
      }
      if (this.#sentAt.length >= this.#limit) {
        const wait = Math.max(1, Math.ceil(this.#sentAt[0]! + this.#windowMs - now));
        this.#timer = setTimeout(() => {
          this.#timer = undefined;
          this.#drain();
        }, wait);
        return;
      }
      const text = this.#queue.shift()!;
      if (this.#send(text)) this.#sentAt.push(now);
    }
  }
}
