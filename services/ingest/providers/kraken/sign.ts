/**
 * Kraken Spot REST private request signing (VENUES.md 2.10, test vector T4): `API-Sign` =
 * base64(HMAC-SHA512(base64decode(secret), uriPath + SHA256(nonce + postData))).
 * @module
 */
import { Buffer } from "node:buffer";
import { createHash, createHmac } from "node:crypto";

/** What a private request is signed over. */
export interface KrakenSignInput {
  /** The path from `/0/private/...` on. */
  uriPath: string;
  /** The nonce (also inside `postData` as `nonce=`). */
  nonce: string;
  /** The exact form-encoded body. */
  postData: string;
}

/** The `API-Sign` header for a private request, with the base64 API secret. */
export function krakenApiSign(input: KrakenSignInput, secret: string): string {
  const digest = createHash("sha256").update(input.nonce + input.postData, "utf8").digest();
  return createHmac("sha512", Buffer.from(secret, "base64"))
    .update(Buffer.concat([Buffer.from(input.uriPath, "utf8"), digest]))
    .digest("base64");
}
