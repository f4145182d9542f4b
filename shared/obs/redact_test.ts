import assert from "node:assert/strict";
import { isSecretKey, redact } from "./redact.ts";

Deno.test("isSecretKey() matches credential-like names in any case", () => {
  for (
    const key of ["secret", "API_KEY", "apiKey", "password", "token", "refresh_token", "signature"]
  ) {
    assert.equal(isSecretKey(key), true, key);
  }
  for (const key of ["symbol", "price", "url", "venue"]) assert.equal(isSecretKey(key), false, key);
});

Deno.test("redact() masks nested secrets and leaves the input untouched", () => {
  const config = {
    venue: "kraken",
    auth: { api_key: "k", api_secret: "s" },
    list: [{ token: "t" }],
  };
  assert.deepEqual(redact(config), {
    venue: "kraken",
    auth: { api_key: "***", api_secret: "***" },
    list: [{ token: "***" }],
  });
  assert.equal(config.auth.api_key, "k");
});
