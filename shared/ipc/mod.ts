/**
 * Shared-memory IPC between the ingest service and traders (ARCHITECTURE.md section 6): mmap'd
 * broadcast channels of DBN records, the instance registry, the control socket, discovery.
 * @module
 */
export { IpcError, type IpcErrorCode } from "./ipc_error.ts";
export { processAlive } from "./process_alive.ts";
export {
  CHANNEL_PREFIX,
  type ChannelKey,
  channelName,
  controlSocketPath,
  namespaceDir,
  REGISTRY_NAME,
  segmentPath,
  validateChannelSymbol,
  validateInstanceId,
  validateNamespace,
} from "./names.ts";
export { createShm, listShm, openShm, ShmSegment, unlinkShm } from "./shm.ts";
export { channelBytes, type ChannelSchema, HEADER_BYTES, MAX_READERS } from "./channel_layout.ts";
export { ChannelWriter, type ChannelWriterOptions } from "./channel_writer.ts";
export { ChannelReader, type ChannelReaderOptions, type WriterStatus } from "./channel_reader.ts";
export { RecordBatch } from "./record_batch.ts";
export { type ChannelInfo, inspectChannel, listChannels, type ReaderInfo } from "./channel_info.ts";
export {
  consume,
  consumeMany,
  type ConsumeManyOptions,
  type ConsumeOptions,
  DEFAULT_POLL_POLICY,
  emptyPollStats,
  type PollPolicy,
  type PollStats,
} from "./poller.ts";
export {
  type RegisterOptions,
  Registration,
  Registry,
  type RegistryEntry,
  type RegistryOptions,
} from "./registry.ts";
export {
  ControlClient,
  type ControlCode,
  ControlError,
  ControlFailure,
  type ControlHandler,
  type ControlReply,
  type ControlServer,
  serveControl,
} from "./control.ts";
export { IpcPublisher, type IpcPublisherOptions } from "./publisher.ts";
export { resolveChannel, type ResolvedChannel, type ResolveOptions } from "./discovery.ts";
export { monotonicNs } from "./_libc.ts";
