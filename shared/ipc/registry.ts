/**
 * The registry of ingest instances: `/dev/shm/<namespace>/data_manager_registry`, 64 seqlocked slots
 * that say which instance (pid, provider, exchange, symbols, control socket) streams what. Slots are
 * taken and freed only under the file's flock, so a process that dies at any point never leaves the
 * registry locked; a slot whose heartbeat is older than `staleAfterSecs` is reclaimed by the next
 * register().
 * @module
 */
import { validateExchange } from "@shared/domain/mod.ts";
import { IpcError } from "./ipc_error.ts";
import {
  CHANNEL_PREFIX,
  controlSocketPath,
  namespaceDir,
  REGISTRY_NAME,
  segmentPath,
  validateChannelSymbol,
  validateInstanceId,
  validateNamespace,
} from "./names.ts";
import { openShm, type ShmSegment } from "./shm.ts";
import { Registration, type RegistrationHost } from "./registration.ts";
import {
  checkRegistryFile,
  emptyRegistry,
  FLAG_SYMBOLS_TRUNCATED,
  REGISTRY_SLOTS,
  setSymbols,
  type SlotRecord,
  SlotTable,
  STATUS_FREE,
  STATUS_RUNNING,
  STATUS_STOPPING,
} from "./_registry_layout.ts";

export { REGISTRY_SLOT_BYTES, REGISTRY_SLOTS } from "./_registry_layout.ts";
export { Registration } from "./registration.ts";

/** One registered ingest instance as list() sees it. */
export interface RegistryEntry {
  slot: number;
  instanceId: string | undefined;
  provider: string;
  exchange: string;
  channelPrefix: string;
  symbols: string[];
  symbolsTruncated: boolean;
  pid: number;
  status: "running" | "stopping";
  heartbeatNs: bigint;
  startedNs: bigint;
  ageMs: number;
  stale: boolean;
  controlSocket: string;
}

/** What register() writes into a slot. */
export interface RegisterOptions {
  instanceId?: string;
  provider: string;
  exchange: string;
  symbols: string[];
  /** Seconds between heartbeats (default 5; must be under the registry's staleAfterSecs). */
  heartbeatSecs?: number;
}

/** Options of {@linkcode Registry.open}. */
export interface RegistryOptions {
  /** A slot whose heartbeat is older is stale: ignored by findSymbol, reclaimed by register (default 30). */
  staleAfterSecs?: number;
  /** The wall clock in ms (default Date.now), injectable for tests. */
  now?: () => number;
}

const PROVIDER_REGEXP = /^[A-Za-z0-9_-]{1,16}$/;

function positive(name: string, value: number): number {
  if (Number.isFinite(value) && value > 0) return value;
  throw new RangeError(`Invalid ${name} ${value}: expected a positive number`);
}

function checkNames(options: RegisterOptions): void {
  if (!PROVIDER_REGEXP.test(options.provider)) {
    const provider = JSON.stringify(options.provider);
    throw new IpcError(
      "invalid_name",
      `Invalid provider ${provider}: expected 1-16 of A-Z a-z 0-9 _ -`,
    );
  }
  try {
    validateExchange(options.exchange);
  } catch (error) {
    throw new IpcError("invalid_name", (error as Error).message);
  }
  for (const symbol of options.symbols) validateChannelSymbol(symbol);
}

/** Creates the file whole or not at all: written under a temporary name, then hard-linked into place. */
function createRegistryFile(namespace: string, path: string): void {
  const dir = namespaceDir(namespace);
  Deno.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const temp = Deno.makeTempFileSync({ dir, prefix: ".registry_init_" });
  try {
    Deno.writeFileSync(temp, emptyRegistry());
    Deno.linkSync(temp, path);
  } catch (error) {
    if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
  } finally {
    Deno.removeSync(temp);
  }
}

/** The registry of one namespace. */
export class Registry {
  readonly namespace: string;
  readonly path: string;
  #staleAfterMs: number;
  #now: () => number;
  #host: RegistrationHost | undefined;
  #closed = false;

  private constructor(namespace: string, options: RegistryOptions) {
    this.namespace = validateNamespace(namespace);
    this.path = segmentPath(namespace, REGISTRY_NAME);
    this.#staleAfterMs = positive("staleAfterSecs", options.staleAfterSecs ?? 30) * 1000;
    this.#now = options.now ?? Date.now;
  }

  /**
   * Opens a namespace's registry, checking the file when it exists. A missing file reads as empty and
   * is created by the first register() once its options pass validation (a refused one leaves no trace).
   */
  static open(namespace: string, options: RegistryOptions = {}): Registry {
    const registry = new Registry(namespace, options);
    registry.#attach(false);
    return registry;
  }

  /** Every non-free slot (each read consistently), stale ones flagged, by slot. */
  list(): RegistryEntry[] {
    const host = this.#attach(false);
    if (host === undefined) return []; // no file yet: nothing registered, and reading creates nothing
    const { table } = host;
    const nowMs = this.#now();
    const entries: RegistryEntry[] = [];
    for (let slot = 0; slot < REGISTRY_SLOTS; slot++) {
      const record = table.read(slot);
      const entry = record === undefined ? undefined : this.#entry(slot, record, nowMs);
      if (entry !== undefined) entries.push(entry);
    }
    return entries;
  }

  /** Live (running, not stale) entries whose stored symbols include `symbol`, freshest first. */
  findSymbol(symbol: string): RegistryEntry[] {
    validateChannelSymbol(symbol);
    return this.list()
      .filter((entry) =>
        !entry.stale && entry.status === "running" && entry.symbols.includes(symbol)
      )
      .sort((a, b) => a.ageMs - b.ageMs || Number(b.startedNs - a.startedNs) || a.slot - b.slot);
  }

  /**
   * Takes a slot (validating everything before touching a file): reclaims stale slots, refuses (`busy`)
   * a live slot with the same instance id or a full registry, and starts an unref'd heartbeat timer.
   */
  async register(options: RegisterOptions): Promise<Registration> {
    const id = options.instanceId === undefined
      ? undefined
      : validateInstanceId(options.instanceId);
    controlSocketPath(this.namespace, id);
    checkNames(options);
    const heartbeatSecs = positive("heartbeatSecs", options.heartbeatSecs ?? 5);
    if (heartbeatSecs * 1000 >= this.#staleAfterMs) {
      throw new RangeError(`Invalid heartbeatSecs ${heartbeatSecs}: must be under staleAfterSecs`);
    }
    const host = this.#attach(true)!;
    await host.segment.lock();
    try {
      const nowNs = host.nowNs();
      const record = setSymbols({
        status: STATUS_RUNNING,
        pid: Deno.pid,
        flags: 0,
        heartbeatNs: nowNs,
        startedNs: nowNs,
        instanceId: id ?? "",
        provider: options.provider,
        exchange: options.exchange,
        channelPrefix: id === undefined ? CHANNEL_PREFIX : `${CHANNEL_PREFIX}${id}__`,
        symbolCount: 0,
        symbols: [],
      }, options.symbols);
      return new Registration(host, this.#takeSlot(host.table, record), record, heartbeatSecs);
    } finally {
      host.segment.unlock();
    }
  }

  /** Unmaps the registry; its registrations stop heartbeating (deregister them first to free slots). */
  close(): void {
    this.#closed = true;
    if (this.#host === undefined) return;
    for (const stop of [...this.#host.timers]) stop();
    this.#host.segment.close();
  }

  #attach(create: boolean): RegistrationHost | undefined {
    if (this.#closed) throw new IpcError("closed", `Registry ${this.path} is closed`);
    if (this.#host !== undefined) return this.#host;
    let segment: ShmSegment;
    try {
      segment = openShm(this.namespace, REGISTRY_NAME);
    } catch (error) {
      if (!(error instanceof IpcError && error.code === "not_found")) throw error;
      if (!create) return undefined;
      createRegistryFile(this.namespace, this.path);
      segment = openShm(this.namespace, REGISTRY_NAME);
    }
    try {
      checkRegistryFile(segment.buffer, segment.size, this.path);
    } catch (error) {
      segment.close();
      throw error;
    }
    const now = this.#now;
    const nowNs = () => BigInt(Math.round(now() * 1000)) * 1000n;
    const table = new SlotTable(segment.buffer);
    this.#host = { segment, table, path: this.path, nowNs, timers: new Set() };
    return this.#host;
  }

  #ageMs(heartbeatNs: bigint, nowMs: number): number {
    return nowMs - Number(heartbeatNs / 1000n) / 1000; // via us: exact in a double
  }

  /** Under the file lock: frees every stale slot, refuses a duplicate, fills the first free slot. */
  #takeSlot(table: SlotTable, record: SlotRecord): number {
    const nowMs = this.#now();
    const stale = (slot: number) =>
      this.#ageMs(table.heartbeatNs(slot), nowMs) > this.#staleAfterMs;
    let free = -1;
    for (let slot = 0; slot < REGISTRY_SLOTS; slot++) {
      const current = table.read(slot); // undefined: a writer died mid-write, or is still writing
      if (stale(slot)) {
        // Free slots have heartbeat 0. Re-checked under the claim: the owner may have just beaten.
        let freed = true;
        if (current?.status !== STATUS_FREE) {
          table.update(slot, true, () => {
            freed = stale(slot);
            return freed ? null : undefined;
          });
        }
        if (freed && free < 0) free = slot;
      } else if (
        current && current.status !== STATUS_FREE && current.instanceId === record.instanceId
      ) {
        const name = record.instanceId === "" ? "with no id" : JSON.stringify(record.instanceId);
        const age = Math.round(this.#ageMs(current.heartbeatNs, nowMs));
        throw new IpcError(
          "busy",
          `Instance ${name} is already registered in ${this.path} by pid ${current.pid} (slot ${slot}, heartbeat ${age} ms ago)`,
        );
      }
    }
    if (free < 0) {
      throw new IpcError(
        "busy",
        `Registry ${this.path} is full: all ${REGISTRY_SLOTS} slots are live`,
      );
    }
    table.update(free, true, () => record);
    return free;
  }

  #entry(slot: number, record: SlotRecord, nowMs: number): RegistryEntry | undefined {
    if (record.status !== STATUS_RUNNING && record.status !== STATUS_STOPPING) return undefined;
    const instanceId = record.instanceId === "" ? undefined : record.instanceId;
    let controlSocket: string;
    try {
      controlSocket = controlSocketPath(this.namespace, instanceId);
    } catch {
      return undefined; // not something register() wrote
    }
    const { provider, exchange, channelPrefix, symbols, pid, heartbeatNs, startedNs } = record;
    const ageMs = this.#ageMs(heartbeatNs, nowMs);
    return {
      slot,
      instanceId,
      provider,
      exchange,
      channelPrefix,
      symbols,
      symbolsTruncated: (record.flags & FLAG_SYMBOLS_TRUNCATED) !== 0,
      pid,
      status: record.status === STATUS_RUNNING ? "running" : "stopping",
      heartbeatNs,
      startedNs,
      ageMs,
      stale: ageMs > this.#staleAfterMs,
      controlSocket,
    };
  }
}
