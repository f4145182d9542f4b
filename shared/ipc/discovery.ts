/**
 * Which channel carries a symbol: ask the registry which live instance streams it, open that
 * instance's channel, or ask its control socket to SUBSCRIBE when the channel is not open yet.
 * @module
 */
import { type ChannelInfo, inspectChannel, listChannels } from "./channel_info.ts";
import { ControlClient } from "./control.ts";
import { IpcError } from "./ipc_error.ts";
import { validateChannelSymbol } from "./names.ts";
import { Registry, type RegistryEntry } from "./registry.ts";

/** Options for {@linkcode resolveChannel}. */
export interface ResolveOptions {
  /** Only this exchange. */
  exchange?: string;
  /** Only this ingest instance ("" for the instance without an id). */
  instanceId?: string;
  /** Ask the instance's control socket to open a missing channel (default true). */
  subscribe?: boolean;
  staleAfterSecs?: number;
}

/** A channel to read, and the control connection that keeps an on-demand channel open. */
export interface ResolvedChannel {
  name: string;
  /** The registry entry of the instance that writes it (undefined for a writer without one). */
  entry: RegistryEntry | undefined;
  /** True when the channel was opened by our SUBSCRIBE. */
  subscribed: boolean;
  /** Releases the subscription (closes the control connection). */
  release(): void;
}

function matches(
  info: { exchange: string; instanceId: string | undefined },
  options: ResolveOptions,
): boolean {
  if (options.exchange !== undefined && info.exchange !== options.exchange) return false;
  if (options.instanceId !== undefined && (info.instanceId ?? "") !== options.instanceId) {
    return false;
  }
  return true;
}

function openChannelInfo(
  namespace: string,
  name: string,
  staleAfterSecs?: number,
): ChannelInfo | undefined {
  try {
    const info = inspectChannel(namespace, name, { staleAfterSecs });
    return info.state === "open" && !info.stale ? info : undefined;
  } catch (error) {
    if (error instanceof IpcError) return undefined;
    throw error;
  }
}

/**
 * Finds the channel of `symbol` in a namespace. Throws IpcError `not_found` (one line naming the
 * live instances) when no live instance streams it, or `busy` when several match and none was chosen.
 */
export async function resolveChannel(
  namespace: string,
  symbol: string,
  options: ResolveOptions = {},
): Promise<ResolvedChannel> {
  validateChannelSymbol(symbol);
  const registry = Registry.open(namespace, { staleAfterSecs: options.staleAfterSecs });
  let entries: RegistryEntry[];
  let live: RegistryEntry[];
  try {
    entries = registry.findSymbol(symbol).filter((entry) => matches(entry, options));
    live = registry.list().filter((entry) => !entry.stale);
  } finally {
    registry.close();
  }
  for (const entry of entries) {
    const name = `${entry.channelPrefix}${symbol}_${entry.exchange}`;
    if (openChannelInfo(namespace, name, options.staleAfterSecs) !== undefined) {
      return { name, entry, subscribed: false, release: () => {} };
    }
  }
  if (entries.length > 0 && options.subscribe !== false) {
    const entry = entries[0]!;
    const client = await ControlClient.connect(entry.controlSocket);
    try {
      const name = await client.subscribe(symbol);
      return { name, entry, subscribed: true, release: () => client.close() };
    } catch (error) {
      client.close();
      throw error;
    }
  }
  // A writer without a registry entry (a test, a tool): any open, fresh channel of the symbol.
  const orphans = listChannels(namespace, { staleAfterSecs: options.staleAfterSecs }).channels
    .filter((info) =>
      info.symbol === symbol && info.state === "open" && !info.stale && matches(info, options)
    );
  if (orphans.length === 1) {
    return { name: orphans[0]!.name, entry: undefined, subscribed: false, release: () => {} };
  }
  if (orphans.length > 1) {
    throw new IpcError(
      "busy",
      `Several channels carry ${symbol}: ${
        orphans.map((o) => o.name).join(", ")
      } (choose with --exchange or --instance)`,
    );
  }
  const instances = live.map((e) => `${e.instanceId ?? "(default)"} [${e.symbols.join(",")}]`).join(
    "; ",
  );
  throw new IpcError(
    "not_found",
    `No live ingest instance streams ${symbol} in namespace "${namespace}" (${
      live.length === 0
        ? "no instance is registered; start one with deno task serve --ipc"
        : `live: ${instances}`
    })`,
  );
}
