/**
 * Request signing for the venues' private APIs: Binance HMAC-SHA256 (hex), Kraken Spot
 * `API-Sign`, Kraken Futures `Authent` and the Kraken Futures WebSocket challenge. Test vectors
 * T1-T7 of VENUES.md section 6 pin every function.
 * @module
 */
import { createHash, createHmac } from "node:crypto";
import { Buffer } from "node:buffer";

/** Request parameters in sending order; values are written with `String()`. */
export type SignedParams =
  | Readonly<Record<string, string | number | bigint | boolean>>
  | readonly (readonly [string, string | number | bigint | boolean])[];

/** Lowercase hex HMAC-SHA256 of `payload` keyed by the secret's UTF-8 bytes (Binance HMAC keys). */
export function binanceSignature(secret: string, payload: string): string {
  return createHmac("sha256", secret).update(payload, "utf8").digest("hex");
}

/**
 * `key=value&...` with keys and values percent-encoded as UTF-8 (`encodeURIComponent`: non-ASCII
 * and reserved characters encoded, unreserved ASCII kept), the exact text Binance signs and receives.
 */
export function binanceQueryString(params: SignedParams): string {
  const entries = Array.isArray(params)
    ? params as readonly (readonly [string, unknown])[]
    : Object.entries(params);
  return entries
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`)
    .join("&");
}

/** Options of {@linkcode binanceSignedRequest}. */
export interface BinanceSignedRequestOptions {
  /** Parameters sent in the URL query string. */
  query?: SignedParams;
  /** Parameters sent as the `application/x-www-form-urlencoded` body. */
  body?: SignedParams;
}

/** A signed Binance request: send `query` after `?` and `body` as the form body, byte for byte. */
export interface BinanceSignedRequest {
  /** The encoded query string with `signature=<hex>` appended last. */
  query: string;
  /** The encoded body ("" when there is none). */
  body: string;
  /** Lowercase hex signature. */
  signature: string;
}

/**
 * Encodes and signs a Binance SIGNED request: the signed payload is the encoded query string
 * followed, with no separator, by the encoded body; the signature goes last in the query string.
 */
export function binanceSignedRequest(
  secret: string,
  options: BinanceSignedRequestOptions,
): BinanceSignedRequest {
  const query = options.query === undefined ? "" : binanceQueryString(options.query);
  const body = options.body === undefined ? "" : binanceQueryString(options.body);
  const signature = binanceSignature(secret, query + body);
  const signed = query === "" ? `signature=${signature}` : `${query}&signature=${signature}`;
  return { query: signed, body, signature };
}

/**
 * Kraken Spot `API-Sign`: base64(HMAC-SHA512(base64decode(secret), uriPath || SHA256(nonce ||
 * postData))), where `postData` is the exact encoded body (it carries `nonce=` itself too).
 */
export function krakenApiSign(
  secretBase64: string,
  uriPath: string,
  nonce: string | number | bigint,
  postData: string,
): string {
  const digest = createHash("sha256").update(`${nonce}${postData}`, "utf8").digest();
  return createHmac("sha512", decodeSecret(secretBase64))
    .update(Buffer.concat([Buffer.from(uriPath, "utf8"), digest]))
    .digest("base64");
}

/**
 * Kraken Futures REST `Authent`: base64(HMAC-SHA512(base64decode(secret), SHA256(postData ||
 * nonce || endpointPath))). `nonce` is "" (or undefined) when no `Nonce` header is sent;
 * `endpointPath` loses a leading `/derivatives` (`/api/v3/sendorder` is what Kraken signs).
 */
export function krakenFuturesAuthent(
  secretBase64: string,
  postData: string,
  nonce: string | number | bigint | undefined,
  endpointPath: string,
): string {
  const path = endpointPath.startsWith("/derivatives/")
    ? endpointPath.slice("/derivatives".length)
    : endpointPath;
  const digest = createHash("sha256").update(`${postData}${nonce ?? ""}${path}`, "utf8").digest();
  return createHmac("sha512", decodeSecret(secretBase64)).update(digest).digest("base64");
}

/**
 * Kraken Futures WebSocket `signed_challenge`: base64(HMAC-SHA512(base64decode(secret),
 * SHA256(challenge))).
 */
export function krakenFuturesSignChallenge(secretBase64: string, challenge: string): string {
  const digest = createHash("sha256").update(challenge, "utf8").digest();
  return createHmac("sha512", decodeSecret(secretBase64)).update(digest).digest("base64");
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The secret's bytes; a TypeError (that never quotes the secret) when it is not strict base64. */
function decodeSecret(secretBase64: string): Buffer {
  const trimmed = secretBase64.trim();
  if (trimmed === "" || !BASE64.test(trimmed)) {
    throw new TypeError(
      `Invalid API secret: expected standard base64 (${trimmed.length} characters given)`,
    );
  }
  return Buffer.from(trimmed, "base64");
}
