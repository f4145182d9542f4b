/**
 * The ingest side of IPC in one object: a registry entry with its heartbeat, one channel per
 * streamed symbol (all, or the `--ipc-symbols` subset), and the control socket through which a
 * trader asks for a channel the instance streams but has not opened yet.
 * @module
 */
import { validateSymbol } from "@shared/domain/mod.ts";
import { type ChannelSchema } from "./channel_layout.ts";
import { ChannelWriter } from "./channel_writer.ts";
import {
  ControlFailure,
  type ControlHandler,
  type ControlServer,
  serveControl,
} from "./control.ts";
import { controlSocketPath, validateChannelSymbol, validateInstanceId } from "./names.ts";
import { type Registration, Registry } from "./registry.ts";

/** Options for {@linkcode IpcPublisher.start}. */
export interface IpcPublisherOptions {
  /** `[ipc] namespace`. */
  namespace: string;
  /** `--instance-id`: names the channels, the socket and the registry entry. */
  instanceId?: string;
  provider: string;
  exchange: string;
  /** Every symbol the instance streams from its venue. */
  symbols: string[];
  /** Symbols whose channels open at start (default: all of `symbols`); others open on SUBSCRIBE. */
  ipcSymbols?: string[];
  schema?: ChannelSchema;
  /** `[ipc] capacity`. */
  capacity?: number;
  /** `[ipc] heartbeat_secs` and `stale_after_secs`. */
  heartbeatSecs?: number;
  staleAfterSecs?: number;
}

interface OpenChannel {
  writer: ChannelWriter;
  /** Opened at start: stays open when its last subscriber leaves. */
  pinned: boolean;
  subscribers: number;
}

/** Channels, registry entry and control socket of one ingest instance. */
export class IpcPublisher implements ControlHandler {
  readonly options: Readonly<IpcPublisherOptions>;
  readonly #channels = new Map<string, OpenChannel>();
  readonly #symbols: Set<string>;
  #registry: Registry | undefined;
  #registration: Registration | undefined;
  #control: ControlServer | undefined;
  #published = 0;

  private constructor(options: IpcPublisherOptions) {
    this.options = options;
    this.#symbols = new Set(options.symbols);
  }

  /**
   * Checks every name first (nothing is created for a bad one), then registers, opens the channels
   * and listens on the control socket. Undoes what it did if a later step fails.
   */
  static async start(options: IpcPublisherOptions): Promise<IpcPublisher> {
    if (options.instanceId !== undefined) validateInstanceId(options.instanceId);
    for (const symbol of options.symbols) validateChannelSymbol(symbol);
    const ipcSymbols = options.ipcSymbols ?? options.symbols;
    for (const symbol of ipcSymbols) {
      if (!options.symbols.includes(symbol)) {
        throw new RangeError(
          `IPC symbol ${symbol} is not among the streamed symbols (${options.symbols.join(",")})`,
        );
      }
    }
    const socketPath = controlSocketPath(options.namespace, options.instanceId);
    const publisher = new IpcPublisher(options);
    try {
      publisher.#registry = Registry.open(options.namespace, {
        staleAfterSecs: options.staleAfterSecs,
      });
      publisher.#registration = await publisher.#registry.register({
        instanceId: options.instanceId,
        provider: options.provider,
        exchange: options.exchange,
        symbols: options.symbols,
        heartbeatSecs: options.heartbeatSecs,
      });
      for (const symbol of ipcSymbols) publisher.#open(symbol, true);
      publisher.#control = await serveControl(socketPath, publisher);
    } catch (error) {
      await publisher.close();
      throw error;
    }
    return publisher;
  }

  /** The control socket's path. */
  get controlPath(): string {
    return controlSocketPath(this.options.namespace, this.options.instanceId);
  }

  /** Records published through this object. */
  get published(): number {
    return this.#published;
  }

  /** The open channel of a symbol, if any (publish only to those). */
  writer(symbol: string): ChannelWriter | undefined {
    return this.#channels.get(symbol)?.writer;
  }

  /** Publishes one record to the symbol's channel; false when that symbol has no channel open. */
  publish(symbol: string, record: Uint8Array): boolean {
    const channel = this.#channels.get(symbol);
    if (channel === undefined) return false;
    channel.writer.publish(record);
    this.#published++;
    return true;
  }

  /** Publishes `count` slot-strided records; false when the symbol has no channel open. */
  publishBatch(symbol: string, records: Uint8Array, count: number): boolean {
    const channel = this.#channels.get(symbol);
    if (channel === undefined) return false;
    channel.writer.publishBatch(records, count);
    this.#published += count;
    return true;
  }

  /** Control: SUBSCRIBE opens the channel of a streamed symbol (or adds a subscriber to it). */
  subscribe(symbol: string): string {
    try {
      validateSymbol(symbol);
    } catch (error) {
      throw new ControlFailure("UNKNOWN_SYMBOL", (error as Error).message);
    }
    if (!this.#symbols.has(symbol)) {
      throw new ControlFailure(
        "NOT_SUBSCRIBED",
        `${symbol} is not streamed by instance ${
          this.options.instanceId ?? "(default)"
        } (it streams ${[...this.#symbols].join(",")})`,
      );
    }
    const channel = this.#channels.get(symbol) ?? this.#open(symbol, false);
    channel.subscribers++;
    return channel.writer.name;
  }

  /** Control: drops one subscriber; a channel opened on demand closes with its last one. */
  unsubscribe(symbol: string): void {
    const channel = this.#channels.get(symbol);
    if (channel === undefined) return;
    channel.subscribers = Math.max(0, channel.subscribers - 1);
    if (channel.subscribers === 0 && !channel.pinned) {
      channel.writer.close();
      this.#channels.delete(symbol);
    }
  }

  /** Control: LIST. */
  list(): unknown {
    return {
      instanceId: this.options.instanceId ?? null,
      provider: this.options.provider,
      exchange: this.options.exchange,
      pid: Deno.pid,
      symbols: [...this.#symbols],
      channels: [...this.#channels].map(([symbol, channel]) => ({
        symbol,
        name: channel.writer.name,
        sequence: channel.writer.sequence,
        subscribers: channel.subscribers,
        pinned: channel.pinned,
      })),
    };
  }

  /** Graceful shutdown: stop the control socket, close every channel, deregister. */
  async close(): Promise<void> {
    await this.#control?.close();
    this.#control = undefined;
    for (const channel of this.#channels.values()) channel.writer.close();
    this.#channels.clear();
    await this.#registration?.deregister();
    this.#registration = undefined;
    this.#registry?.close();
    this.#registry = undefined;
  }

  #open(symbol: string, pinned: boolean): OpenChannel {
    const writer = ChannelWriter.create({
      namespace: this.options.namespace,
      key: { symbol, exchange: this.options.exchange, instanceId: this.options.instanceId },
      schema: this.options.schema,
      capacity: this.options.capacity,
      heartbeatSecs: this.options.heartbeatSecs,
    });
    const channel = { writer, pinned, subscribers: 0 };
    this.#channels.set(symbol, channel);
    return channel;
  }
}
