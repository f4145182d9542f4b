/**
 * What every venue shares (the seed's trading-common `venue` module): the reconnecting WebSocket
 * client, classified VenueErrors and the one retry helper, connection status, symbology, clocks and request signing.
 * @module
 */
export * from "./venue_error.ts";
export * from "./retry.ts";
export * from "./connection.ts";
export * from "./symbology.ts";
export * from "./venue_symbols.ts";
export * from "./clock.ts";
export * from "./signing.ts";
export { WsClient, type WsClientOptions } from "./ws_client.ts";
