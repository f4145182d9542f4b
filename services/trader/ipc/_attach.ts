/**
 * Finding and opening a symbol's channel for the IPC exchange: ask the registry which live
 * instances stream it (an instance whose process is gone is skipped, even before its heartbeat
 * goes stale), resolve its channel through discovery (which SUBSCRIBEs when the channel is not
 * open), and check that the channel's writer is alive before reading it.
 * @module
 */
import {
  ChannelReader,
  ControlClient,
  inspectChannel,
  processAlive,
  Registry,
  type RegistryEntry,
  resolveChannel,
  type ResolvedChannel,
  type WriterStatus,
} from "@shared/ipc/mod.ts";
import type { Logger } from "@shared/obs/mod.ts";
import type { SymbolRequest } from "./types.ts";

/** A channel being read, and the resolution that keeps an on-demand channel open. */
export interface Attachment {
  reader: ChannelReader;
  resolved: ResolvedChannel;
  instanceId: string | undefined;
  /** The caller's current reader was kept (same file): its cursor continues. */
  reused: boolean;
}

/** Options for {@linkcode attachLive}. */
export interface AttachOptions {
  staleAfterSecs: number;
  /** Where a newly opened reader starts. */
  from: "latest" | "oldest";
  logger: Logger;
  /** A reader of a channel that may be resolved again: kept when its file was not replaced. */
  current?: ChannelReader;
}

/** The writer is open, beating, under the same file, and (when `trustPid`) its process exists. */
export function writerAlive(status: WriterStatus, trustPid = true): boolean {
  return status.state === "open" && !status.stale && !status.replaced &&
    (!trustPid || processAlive(status.pid));
}

function matches(entry: RegistryEntry, request: SymbolRequest): boolean {
  if (request.exchange !== undefined && entry.exchange !== request.exchange) return false;
  return request.instanceId === undefined || (entry.instanceId ?? "") === request.instanceId;
}

/** Live registry entries that stream the requested symbol, freshest first. */
function liveEntries(namespace: string, request: SymbolRequest, staleAfterSecs: number) {
  const registry = Registry.open(namespace, { staleAfterSecs });
  try {
    return registry.findSymbol(request.symbol).filter((entry) =>
      matches(entry, request) && processAlive(entry.pid)
    );
  } finally {
    registry.close();
  }
}

function instanceOf(namespace: string, name: string): string | undefined {
  try {
    return inspectChannel(namespace, name).instanceId;
  } catch {
    return undefined;
  }
}

/** Opens `name`, or keeps `current` when it maps the same, unreplaced file. */
function openReader(
  namespace: string,
  name: string,
  options: AttachOptions,
): { reader: ChannelReader; reused: boolean } {
  const current = options.current;
  if (current !== undefined && current.name === name && !current.writerStatus().replaced) {
    return { reader: current, reused: true };
  }
  const reader = ChannelReader.open({
    namespace,
    name,
    from: options.from,
    staleAfterSecs: options.staleAfterSecs,
  });
  return { reader, reused: false };
}

/** Undoes an attachment that will not be used (keeps the caller's reader). */
export function discard(attachment: Attachment): void {
  if (!attachment.reused) attachment.reader.close();
  attachment.resolved.release();
}

/**
 * Attaches through one registry entry; when the channel file there is left by a dead writer (its
 * heartbeat not yet stale), asks the instance's control socket to reopen it.
 */
async function attachEntry(
  namespace: string,
  request: SymbolRequest,
  entry: RegistryEntry,
  options: AttachOptions,
): Promise<Attachment | undefined> {
  let resolved = await resolveChannel(namespace, request.symbol, {
    exchange: entry.exchange,
    instanceId: entry.instanceId ?? "",
    staleAfterSecs: options.staleAfterSecs,
  });
  // A channel opened on our SUBSCRIBE holds only what was published since we asked: read it
  // all (from "latest", a record published before the reader opened would be missed).
  const fromOurs: AttachOptions = { ...options, from: "oldest" };
  let opened: { reader: ChannelReader; reused: boolean };
  try {
    opened = openReader(namespace, resolved.name, resolved.subscribed ? fromOurs : options);
  } catch (error) {
    resolved.release();
    throw error;
  }
  const attachment: Attachment = { ...opened, resolved, instanceId: entry.instanceId };
  if (writerAlive(opened.reader.writerStatus())) return attachment;
  if (resolved.subscribed) {
    discard(attachment);
    return undefined;
  }
  const client = await ControlClient.connect(entry.controlSocket).catch((error) => {
    discard(attachment);
    throw error;
  });
  let name: string;
  try {
    name = await client.subscribe(request.symbol);
  } catch (error) {
    client.close();
    discard(attachment);
    throw error;
  }
  resolved.release();
  resolved = { name, entry, subscribed: true, release: () => client.close() };
  attachment.resolved = resolved;
  if (name !== attachment.reader.name) {
    if (!attachment.reused) attachment.reader.close();
    try {
      Object.assign(attachment, openReader(namespace, name, fromOurs));
    } catch (error) {
      client.close();
      throw error;
    }
  }
  if (writerAlive(attachment.reader.writerStatus())) return attachment;
  discard(attachment);
  return undefined;
}

/**
 * Attaches to a live instance that streams the symbol (registry entries whose process exists, in
 * registry order); undefined when none answers with a live channel. Failures are logged at debug.
 */
export async function attachLive(
  namespace: string,
  request: SymbolRequest,
  options: AttachOptions,
): Promise<Attachment | undefined> {
  for (const entry of liveEntries(namespace, request, options.staleAfterSecs)) {
    try {
      const attachment = await attachEntry(namespace, request, entry, options);
      if (attachment !== undefined) return attachment;
    } catch (error) {
      options.logger.debug("IPC instance did not give a live channel", {
        symbol: request.symbol,
        instanceId: entry.instanceId ?? "",
        error,
      });
    }
  }
  return undefined;
}

/**
 * The first attachment of a symbol: a live instance if one answers, else whatever discovery finds
 * (a writer without a registry entry). Rejects with discovery's one-line IpcError when nothing
 * streams the symbol.
 */
export async function attachInitial(
  namespace: string,
  request: SymbolRequest,
  options: AttachOptions,
): Promise<Attachment> {
  const live = await attachLive(namespace, request, options);
  if (live !== undefined) return live;
  const resolved = await resolveChannel(namespace, request.symbol, {
    exchange: request.exchange,
    instanceId: request.instanceId,
    staleAfterSecs: options.staleAfterSecs,
  });
  try {
    const { reader } = openReader(namespace, resolved.name, { ...options, current: undefined });
    const instanceId = resolved.entry?.instanceId ?? instanceOf(namespace, resolved.name);
    return { reader, resolved, instanceId, reused: false };
  } catch (error) {
    resolved.release();
    throw error;
  }
}
