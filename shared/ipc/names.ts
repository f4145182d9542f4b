/**
 * Every file name of the IPC layer, built only from checked parts so that nothing from outside can
 * name a path outside `/dev/shm/<namespace>/`.
 * @module
 */
import { validateExchange, validateSymbol } from "@shared/domain/mod.ts";
import { IpcError } from "./ipc_error.ts";

/** Where the namespaces live. */
export const SHM_ROOT = "/dev/shm";
/** Prefix of every channel and of the registry, as the seed names them. */
export const CHANNEL_PREFIX = "data_manager_";
/** The registry segment's name. */
export const REGISTRY_NAME = "data_manager_registry";
/** Longest instance id (it must fit the registry slot and a socket path). */
export const MAX_INSTANCE_ID_LENGTH = 32;
/** Longest namespace. */
export const MAX_NAMESPACE_LENGTH = 64;

const SAFE = /^[A-Za-z0-9_-]+$/;

function checkSafe(kind: string, value: string, max: number): string {
  if (value.length === 0 || value.length > max || !SAFE.test(value)) {
    throw new IpcError(
      "invalid_name",
      `Invalid ${kind} ${
        JSON.stringify(value)
      }: expected 1-${max} characters of A-Z, a-z, 0-9, "_" and "-"`,
    );
  }
  return value;
}

/** Checks a namespace (`[ipc] namespace`). */
export function validateNamespace(namespace: string): string {
  return checkSafe("IPC namespace", namespace, MAX_NAMESPACE_LENGTH);
}

/** Checks an instance id; "__" is refused because it separates the id from the symbol. */
export function validateInstanceId(instanceId: string): string {
  checkSafe("instance id", instanceId, MAX_INSTANCE_ID_LENGTH);
  if (instanceId.includes("__")) {
    throw new IpcError(
      "invalid_name",
      `Invalid instance id ${JSON.stringify(instanceId)}: "__" is reserved`,
    );
  }
  return instanceId;
}

/** Checks a symbol for a channel: canonical (`BTCUSD`) and, since it names a file, no ".". */
export function validateChannelSymbol(symbol: string): string {
  try {
    validateSymbol(symbol);
  } catch (error) {
    throw new IpcError("invalid_name", (error as Error).message);
  }
  return checkSafe("channel symbol", symbol, 21);
}

/** What a channel carries: one symbol on one exchange, from one ingest instance (or none). */
export interface ChannelKey {
  symbol: string;
  exchange: string;
  instanceId?: string | undefined;
}

/**
 * The channel's segment name: `data_manager_BTCUSD_KRAKEN`, or
 * `data_manager_<instance>__BTCUSD_KRAKEN` with an instance id.
 */
export function channelName(key: ChannelKey): string {
  validateChannelSymbol(key.symbol);
  try {
    validateExchange(key.exchange);
  } catch (error) {
    throw new IpcError("invalid_name", (error as Error).message);
  }
  const instance = key.instanceId === undefined ? "" : `${validateInstanceId(key.instanceId)}__`;
  return `${CHANNEL_PREFIX}${instance}${key.symbol}_${key.exchange}`;
}

/** Checks a segment name (a channel, the registry, a test's own segment). */
export function validateSegmentName(name: string): string {
  return checkSafe("segment name", name, 200);
}

/** The folder of a namespace: `/dev/shm/trading`. */
export function namespaceDir(namespace: string): string {
  return `${SHM_ROOT}/${validateNamespace(namespace)}`;
}

/** The file of a segment: `/dev/shm/trading/data_manager_BTCUSD_KRAKEN`. */
export function segmentPath(namespace: string, name: string): string {
  return `${namespaceDir(namespace)}/${validateSegmentName(name)}`;
}

/** Longest Unix socket path Linux accepts (sun_path is 108 bytes with its NUL). */
const MAX_SOCKET_PATH = 107;

/** The control socket of an instance: `/dev/shm/trading/data_manager_<instance>.sock`. */
export function controlSocketPath(namespace: string, instanceId: string | undefined): string {
  const stem = instanceId === undefined
    ? "data_manager"
    : `data_manager_${validateInstanceId(instanceId)}`;
  const path = `${namespaceDir(namespace)}/${stem}.sock`;
  if (path.length > MAX_SOCKET_PATH) {
    throw new IpcError(
      "invalid_name",
      `Control socket path ${
        JSON.stringify(path)
      } is ${path.length} bytes; Unix sockets allow ${MAX_SOCKET_PATH} (use a shorter namespace or instance id)`,
    );
  }
  return path;
}
