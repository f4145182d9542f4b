import assert from "node:assert/strict";
import {
  binanceQueryString,
  binanceSignature,
  binanceSignedRequest,
  krakenApiSign,
  krakenFuturesAuthent,
  krakenFuturesSignChallenge,
} from "./signing.ts";

// Test vectors from VENUES.md section 6.
const BINANCE_SECRET = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";
const T1_PAYLOAD =
  "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559";
const T1_SIGNATURE = "c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71";
const KF_SECRET =
  "7zxMEF5p/Z8l2p2U7Ghv6x14Af+Fx+92tPgUdVQ748FOIrEoT9bgT+bTRfXc5pz8na+hL/QdrCVG7bh9KpT0eMTm";

Deno.test("binanceSignature() matches T1 (ASCII payload)", () => {
  assert.equal(binanceSignature(BINANCE_SECRET, T1_PAYLOAD), T1_SIGNATURE);
});

Deno.test("binanceSignedRequest() encodes non-ASCII values and matches T2", () => {
  const signed = binanceSignedRequest(BINANCE_SECRET, {
    query: {
      symbol: "\uff11\uff12\uff13\uff14\uff15\uff16",
      side: "BUY",
      type: "LIMIT",
      timeInForce: "GTC",
      quantity: 1,
      price: "0.1",
      recvWindow: 5000,
      timestamp: 1499827319559,
    },
  });
  const payload = "symbol=%EF%BC%91%EF%BC%92%EF%BC%93%EF%BC%94%EF%BC%95%EF%BC%96" +
    "&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000" +
    "&timestamp=1499827319559";
  const signature = "e1353ec6b14d888f1164ae9af8228a3dbd508bc82eb867db8ab6046442f33ef3";
  assert.equal(signed.signature, signature);
  assert.equal(signed.query, `${payload}&signature=${signature}`);
  assert.equal(signed.body, "");
  assert.equal(binanceSignature(BINANCE_SECRET, payload), signature);
});

Deno.test("binanceSignedRequest() signs query then body with no separator (T3)", () => {
  const signed = binanceSignedRequest(BINANCE_SECRET, {
    query: [["symbol", "LTCBTC"], ["side", "BUY"], ["type", "LIMIT"], ["timeInForce", "GTC"]],
    body: { quantity: 1, price: "0.1", recvWindow: 5000, timestamp: 1499827319559 },
  });
  const signature = "0fd168b8ddb4876a0358a8d14d0c9f3da0e9b20c5d52b2a00fcf7d1c602f9a77";
  assert.equal(signed.signature, signature);
  assert.equal(
    signed.query,
    `symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&signature=${signature}`,
  );
  assert.equal(signed.body, "quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559");
  assert.equal(
    binanceSignature(
      BINANCE_SECRET,
      "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC" + signed.body,
    ),
    signature,
  );
});

Deno.test("binanceSignedRequest() gives T1's signature whether all in query or all in body", () => {
  const params = binanceQueryString([
    ["symbol", "LTCBTC"],
    ["side", "BUY"],
    ["type", "LIMIT"],
    ["timeInForce", "GTC"],
    ["quantity", "1"],
    ["price", "0.1"],
    ["recvWindow", "5000"],
    ["timestamp", "1499827319559"],
  ]);
  assert.equal(params, T1_PAYLOAD);
  const entries = T1_PAYLOAD.split("&").map((pair) => pair.split("=") as [string, string]);
  const inQuery = binanceSignedRequest(BINANCE_SECRET, { query: entries });
  const inBody = binanceSignedRequest(BINANCE_SECRET, { body: entries });
  assert.equal(inQuery.signature, T1_SIGNATURE);
  assert.equal(inQuery.query, `${T1_PAYLOAD}&signature=${T1_SIGNATURE}`);
  assert.equal(inBody.signature, T1_SIGNATURE);
  assert.equal(inBody.query, `signature=${T1_SIGNATURE}`);
  assert.equal(inBody.body, T1_PAYLOAD);
});

Deno.test("binanceQueryString() percent-encodes reserved ASCII as it is sent", () => {
  assert.equal(
    binanceQueryString({ symbols: '["BTCUSDT","BNBBTC"]', note: "a b&c" }),
    "symbols=%5B%22BTCUSDT%22%2C%22BNBBTC%22%5D&note=a%20b%26c",
  );
});

Deno.test("krakenApiSign() matches T4", () => {
  const secret =
    "kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg==";
  const postData =
    "nonce=1616492376594&ordertype=limit&pair=XBTUSD&price=37500&type=buy&volume=1.25";
  const expected =
    "4/dpxb3iT4tp/ZCVEwSnEsLxx0bqyhLpdfOpc6fn7OR8+UClSV5n9E6aSS8MPtnRfp32bAb0nmbRn6H8ndwLUQ==";
  assert.equal(krakenApiSign(secret, "/0/private/AddOrder", "1616492376594", postData), expected);
  assert.equal(krakenApiSign(secret, "/0/private/AddOrder", 1616492376594, postData), expected);
  assert.equal(krakenApiSign(secret, "/0/private/AddOrder", 1616492376594n, postData), expected);
});

Deno.test("krakenFuturesSignChallenge() matches T6", () => {
  assert.equal(
    krakenFuturesSignChallenge(KF_SECRET, "c100b894-1729-464d-ace1-52dbce11db42"),
    "4JEpF3ix66GA2B+ooK128Ift4XQVtc137N9yeg4Kqsn9PI0Kpzbysl9M1IeCEdjg0zl00wkVqcsnG4bmnlMb3A==",
  );
});

Deno.test("krakenFuturesAuthent() matches T7 (a) to (d)", () => {
  const order = "orderType=lmt&symbol=PF_XBTUSD&side=buy&size=1&limitPrice=10000";
  assert.equal(
    krakenFuturesAuthent(
      KF_SECRET,
      "symbol=fi_xbtusd_180615",
      "1415957147987",
      "/api/v3/orderbook",
    ),
    "JHLjN8OUDYaXjHRGT0z4nUvJorORrXoL9omot4BK5ihtp6jKHPHfzX9MrpVjqAgKqGJejoO3gySwoVCMJQlx/Q==",
  );
  assert.equal(
    krakenFuturesAuthent(KF_SECRET, order, 1415957147987, "/api/v3/sendorder"),
    "ReMQCevinQpciqgfPgULAi5ybXnNqMVUvV4yZoUknZX6h5jfT5KAMLK0vlLZlS9Zc5YTdVEWlIvum/hSjYhZrA==",
  );
  const noNonce =
    "bm8Tq5Bma0NBskDByEuGWhnBVoM5QT8OA4yTmRpFCu/UpOHBYyqTy81VDi1re+huxzH0iNotV+EEpn/7YQwpvg==";
  assert.equal(krakenFuturesAuthent(KF_SECRET, order, "", "/api/v3/sendorder"), noNonce);
  assert.equal(krakenFuturesAuthent(KF_SECRET, order, undefined, "/api/v3/sendorder"), noNonce);
  assert.equal(
    krakenFuturesAuthent(KF_SECRET, "", undefined, "/api/v3/accounts"),
    "gF9iu/gh5ia5pNW4Ljh2bVCMh+kDiJcge73pOkpBG+c5eJUmWgHY0zMkMXkvOHb9RnCWKKfzg6lCzyYYI95+Jg==",
  );
});

Deno.test("krakenFuturesAuthent() signs the path without its /derivatives prefix", () => {
  assert.equal(
    krakenFuturesAuthent(KF_SECRET, "", undefined, "/derivatives/api/v3/accounts"),
    krakenFuturesAuthent(KF_SECRET, "", undefined, "/api/v3/accounts"),
  );
});

Deno.test("Kraken signers reject a secret that is not base64 without quoting it", () => {
  // 87 characters, like the (invalid) example secret of Kraken's Futures REST docs.
  const bad = "rttp4Azw" + "A".repeat(72) + "Kz4Q+eG";
  assert.throws(() => krakenFuturesSignChallenge(bad, "x"), (error: unknown) => {
    assert.ok(error instanceof TypeError);
    assert.ok(!error.message.includes(bad));
    return true;
  });
  assert.throws(() => krakenApiSign("", "/0/private/Balance", 1, "nonce=1"), TypeError);
});
