/**
 * The IPC exchange's health watch: every `intervalMs` it checks each connected symbol's writer
 * (replaced file, graceful close, process gone, stale heartbeat -> disconnected) and tries to
 * reattach each disconnected one: the same channel once a writer lives there again (keeping the
 * mapping, so the cursor continues), the replacement file from its oldest record, or another live
 * instance that streams the symbol (re-resolved through the registry).
 * @module
 */
import { ChannelReader, IpcError, processAlive, type WriterStatus } from "@shared/ipc/mod.ts";
import type { Logger } from "@shared/obs/mod.ts";
import { attachLive, type Attachment, discard, writerAlive } from "./_attach.ts";
import type { Feed } from "./_feed.ts";

/** What the watch needs of the exchange. */
export interface HealthHost {
  readonly stopped: boolean;
  /** A feed changed state: rebuild the poll set and report it. */
  reportStatus(feed: Feed): void;
  /** Deliver what is left in a feed's ring before it is marked down. */
  drain(feed: Feed): void;
}

/** Options for {@linkcode HealthWatch}. */
export interface HealthWatchOptions {
  namespace: string;
  staleAfterSecs: number;
  intervalMs: number;
  logger: Logger;
}

/** Why a writer counts as down, or undefined while it is fine. */
export function downReason(
  status: WriterStatus,
  trustPid: boolean,
  staleAfterSecs: number,
): string | undefined {
  if (status.replaced) return "channel file was replaced";
  if (status.state === "closed") return `writer pid ${status.pid} closed the channel`;
  if (trustPid && !processAlive(status.pid)) return `writer pid ${status.pid} is gone`;
  if (status.stale) {
    const secs = Math.round(status.heartbeatAgeMs / 1000);
    return `no writer heartbeat for ${secs} s (stale after ${staleAfterSecs} s)`;
  }
  return undefined;
}

/** The periodic check of every feed. */
export class HealthWatch {
  readonly #host: HealthHost;
  readonly #feeds: readonly Feed[];
  readonly #options: HealthWatchOptions;
  readonly #timer: ReturnType<typeof setInterval>;
  #running: Promise<void> | undefined;

  constructor(host: HealthHost, feeds: readonly Feed[], options: HealthWatchOptions) {
    this.#host = host;
    this.#feeds = feeds;
    this.#options = options;
    this.#timer = setInterval(() => this.#tick(), options.intervalMs);
  }

  /** Stops the timer and waits for a check in progress. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running;
  }

  #tick(): void {
    if (this.#running !== undefined || this.#host.stopped) return;
    this.#running = this.check()
      .catch((error) => this.#options.logger.error("IPC health check failed", { error }))
      .finally(() => {
        this.#running = undefined;
      });
  }

  /** One pass over every feed. */
  async check(): Promise<void> {
    for (const feed of this.#feeds) {
      if (this.#host.stopped) return;
      if (feed.state === "connected") this.#watch(feed);
      else await this.#reattach(feed);
    }
  }

  #watch(feed: Feed): void {
    const nowMs = Date.now();
    const status = feed.reader.writerStatus(nowMs);
    const reason = downReason(status, feed.trustPid, this.#options.staleAfterSecs);
    const symbol = feed.request.symbol;
    if (reason === undefined) {
      if (status.generation !== feed.generation) {
        const why = `writer restarted (pid ${feed.writerPid} -> ${status.pid})`;
        this.#options.logger.warn("IPC writer restarted between two checks", { symbol, why });
        feed.restartedUnseen(why, nowMs);
      }
      return;
    }
    this.#host.drain(feed);
    if (this.#host.stopped) return;
    if (!processAlive(status.pid)) feed.deadHeartbeatMs = nowMs - status.heartbeatAgeMs;
    feed.disconnect(reason, nowMs);
    this.#options.logger.warn("IPC channel disconnected", {
      symbol,
      channel: feed.reader.name,
      reason,
    });
    this.#host.reportStatus(feed);
  }

  async #reattach(feed: Feed): Promise<void> {
    const { namespace, staleAfterSecs, logger } = this.#options;
    const nowMs = Date.now();
    const reader = feed.reader;
    const status = reader.writerStatus(nowMs);
    // 1. The same file, its writer back (a new generation, or a fresh heartbeat)
    if (!status.replaced && status.state === "open" && !status.stale) {
      const pidAlive = !feed.trustPid || processAlive(status.pid);
      const beatAdvanced = feed.deadHeartbeatMs !== undefined &&
        nowMs - status.heartbeatAgeMs > feed.deadHeartbeatMs;
      if (pidAlive || beatAdvanced) {
        if (!pidAlive) {
          feed.trustPid = false;
          logger.info("IPC writer pid is not visible here; relying on heartbeats", {
            symbol: feed.request.symbol,
            pid: status.pid,
          });
        }
        const same = { reader, resolved: feed.resolved, instanceId: feed.instanceId, reused: true };
        this.#reconnect(feed, same, nowMs, undefined);
        return;
      }
    }
    // 2. The file was replaced (a writer recreated it): read the new one from its oldest record
    if (status.replaced) {
      const fresh = this.#openReplacement(reader.name);
      if (fresh !== undefined) {
        const attachment = { reader: fresh, resolved: feed.resolved, instanceId: feed.instanceId };
        this.#reconnect(feed, { ...attachment, reused: false }, nowMs, undefined);
        return;
      }
    }
    // 3. A live instance that streams the symbol (or the same one, asked to reopen the channel)
    let attachment: Attachment | undefined;
    try {
      attachment = await attachLive(namespace, feed.request, {
        staleAfterSecs,
        from: feed.lastTsEvent === undefined ? "latest" : "oldest",
        logger,
        current: reader,
      });
    } catch (error) {
      logger.debug("IPC reattach failed", { symbol: feed.request.symbol, error });
      return;
    }
    if (attachment === undefined) return;
    if (this.#host.stopped || feed.state !== "disconnected") {
      discard(attachment);
      return;
    }
    // A ring opened afresh is read from its oldest record: skip what was delivered before.
    const skipThrough = attachment.reused ? undefined : feed.lastTsEvent;
    this.#reconnect(feed, attachment, Date.now(), skipThrough);
  }

  #openReplacement(name: string): ChannelReader | undefined {
    const { namespace, staleAfterSecs } = this.#options;
    let fresh: ChannelReader;
    try {
      fresh = ChannelReader.open({ namespace, name, from: "oldest", staleAfterSecs });
    } catch (error) {
      if (error instanceof IpcError) return undefined; // gone, or still being created
      throw error;
    }
    if (writerAlive(fresh.writerStatus())) return fresh;
    fresh.close();
    return undefined;
  }

  #reconnect(feed: Feed, attachment: Attachment, nowMs: number, skipThrough?: bigint): void {
    feed.reconnect(attachment, nowMs, skipThrough);
    this.#options.logger.info("IPC channel reattached", {
      symbol: feed.request.symbol,
      channel: feed.reader.name,
      reconnects: feed.reconnects,
      subscribed: feed.resolved.subscribed,
    });
    this.#host.reportStatus(feed);
  }
}
