/** A venue connection's lifecycle state (the seed's ConnectionStatus). */
export type ConnectionStatus =
  | "disconnected" // not connected, not trying
  | "connecting" // first connection in progress
  | "connected" // open and ready
  | "reconnecting" // dropped; waiting out a backoff or reconnecting
  | "error"; // gave up (a permanent error); see the logs

/** Every status, in lifecycle order. */
export const CONNECTION_STATUSES: readonly ConnectionStatus[] = [
  "disconnected",
  "connecting",
  "connected",
  "reconnecting",
  "error",
];
