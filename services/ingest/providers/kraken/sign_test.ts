import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { krakenApiSign } from "./sign.ts";

const T4 = {
  secret:
    "kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg==",
  nonce: "1616492376594",
  postData: "nonce=1616492376594&ordertype=limit&pair=XBTUSD&price=37500&type=buy&volume=1.25",
  uriPath: "/0/private/AddOrder",
};

Deno.test("T4: krakenApiSign() gives the documented API-Sign", () => {
  assert.equal(
    createHash("sha256").update(T4.nonce + T4.postData).digest("hex"),
    "23a1c1b34c6a11d641af0f24684896cb90f66fb991125c83dc357bdc3dc146f1",
  );
  assert.equal(
    krakenApiSign(T4, T4.secret),
    "4/dpxb3iT4tp/ZCVEwSnEsLxx0bqyhLpdfOpc6fn7OR8+UClSV5n9E6aSS8MPtnRfp32bAb0nmbRn6H8ndwLUQ==",
  );
});

Deno.test("the signature depends on the path, the nonce and the body", () => {
  const base = krakenApiSign(T4, T4.secret);
  assert.notEqual(krakenApiSign({ ...T4, uriPath: "/0/private/Balance" }, T4.secret), base);
  assert.notEqual(krakenApiSign({ ...T4, nonce: "1616492376595" }, T4.secret), base);
  assert.notEqual(krakenApiSign({ ...T4, postData: T4.postData + "&x=1" }, T4.secret), base);
});
