/** One instance's slot in the registry: its heartbeat, symbol updates and deregistration. */
import { IpcError } from "./ipc_error.ts";
import { validateChannelSymbol } from "./names.ts";
import type { ShmSegment } from "./shm.ts";
import {
  setSymbols,
  type SlotRecord,
  type SlotTable,
  STATUS_FREE,
  STATUS_STOPPING,
} from "./_registry_layout.ts";

/** What a Registration needs from its registry (internal). */
export interface RegistrationHost {
  segment: ShmSegment;
  table: SlotTable;
  path: string;
  nowNs(): bigint;
  timers: Set<() => void>;
}

/** This process's slot in the registry, kept fresh by an unref'd heartbeat timer. */
export class Registration {
  readonly slot: number;
  readonly instanceId: string | undefined;
  #host: RegistrationHost;
  #pid: number;
  #startedNs: bigint;
  #timer: ReturnType<typeof setInterval> | undefined;
  #stop = (): void => this.#stopTimer();
  #closed = false;
  #lost = false;

  /** Made by {@linkcode Registry.register}. */
  constructor(host: RegistrationHost, slot: number, record: SlotRecord, heartbeatSecs: number) {
    this.#host = host;
    this.slot = slot;
    this.instanceId = record.instanceId === "" ? undefined : record.instanceId;
    this.#pid = record.pid;
    this.#startedNs = record.startedNs;
    this.#timer = setInterval(() => {
      try {
        this.heartbeat();
      } catch {
        // lost or closed (the timer is stopped then), or a slot held by a writer: try next time
      }
    }, heartbeatSecs * 1000);
    Deno.unrefTimer(this.#timer);
    host.timers.add(this.#stop);
  }

  /** True once another process reclaimed the slot (this one had missed heartbeats for too long). */
  get lost(): boolean {
    return this.#lost;
  }

  /** Writes the current time into the slot's heartbeat (`not_found` once the slot was reclaimed). */
  heartbeat(): void {
    this.#checkOpen();
    const record = this.#host.table.read(this.slot);
    if (record === undefined) {
      throw new IpcError("busy", `Slot ${this.slot} of ${this.#host.path} is being written`);
    }
    if (!this.#owns(record)) throw this.#markLost();
    this.#host.table.setHeartbeatNs(this.slot, this.#host.nowNs());
  }

  /** Replaces the slot's symbols (those that do not fit are left out and flagged truncated). */
  updateSymbols(symbols: string[]): void {
    for (const symbol of symbols) validateChannelSymbol(symbol);
    this.#rewrite((record) => setSymbols(record, symbols));
  }

  /** Marks the instance as stopping: still listed, but findSymbol() no longer offers it. */
  markStopping(): void {
    this.#rewrite((record) => ({ ...record, status: STATUS_STOPPING }));
  }

  /** Stops the heartbeat timer and frees the slot (under the file lock). Safe to call twice. */
  async deregister(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#stopTimer();
    const { segment, table } = this.#host;
    if (this.#lost || segment.closed) return;
    await segment.lock();
    try {
      table.update(this.slot, true, (current) => this.#owns(current) ? null : undefined);
    } finally {
      segment.unlock();
    }
  }

  #stopTimer(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#host.timers.delete(this.#stop);
  }

  #owns(record: SlotRecord): boolean {
    return record.status !== STATUS_FREE && record.pid === this.#pid &&
      record.startedNs === this.#startedNs && record.instanceId === (this.instanceId ?? "");
  }

  #checkOpen(): void {
    if (this.#closed || this.#host.segment.closed) {
      this.#stopTimer();
      throw new IpcError(
        "closed",
        `Registration in slot ${this.slot} of ${this.#host.path} is closed`,
      );
    }
    if (this.#lost) throw this.#lostError();
  }

  #lostError(): IpcError {
    const where = `slot ${this.slot} of ${this.#host.path}`;
    return new IpcError(
      "not_found",
      `Registration in ${where} was reclaimed: its heartbeat went stale`,
    );
  }

  #markLost(): IpcError {
    this.#lost = true;
    this.#stopTimer();
    return this.#lostError();
  }

  #rewrite(change: (record: SlotRecord) => SlotRecord): void {
    this.#checkOpen();
    let owned = true;
    const done = this.#host.table.update(this.slot, false, (current) => {
      owned = this.#owns(current);
      return owned ? { ...change(current), heartbeatNs: this.#host.nowNs() } : undefined;
    });
    if (!done) {
      throw new IpcError("busy", `Slot ${this.slot} of ${this.#host.path} is being written`);
    }
    if (!owned) throw this.#markLost();
  }
}
