import assert from "node:assert/strict";
import { parsePrice } from "@core/mod.ts";
import { isZeroQty, L2Book, type L2Level } from "./book.ts";
import { bookChecksum, checksumDigits, checksumInput, crc32Text } from "./checksum.ts";
import { T5_BOOK } from "./fake_frames.ts";

const T5_INPUT = "45285210000045286415457195345286615457110945289615456091145290215890660452918" +
  "15455349145294744547494529613538000045297599455424529951877282745283510000000452834154582" +
  "0154528211000000045281010000000452803154592586452790799000045277633101034527753000000045277" +
  "315460273745276615445238";
const T5B_INPUT = "50055005010500501550050205005025500503050050355005040500504550050505005000500" +
  "499550049905004980500497550049705004965500496050049555004950500";

function lvl(priceText: string, qty: string): L2Level {
  return { price: parsePrice(priceText), priceText, qty };
}

function t5(): { bids: L2Level[]; asks: L2Level[] } {
  return {
    bids: T5_BOOK.bids.map(([p, q]) => lvl(p, q)),
    asks: T5_BOOK.asks.map(([p, q]) => lvl(p, q)),
  };
}

Deno.test("T5: the documented BTC/USD book gives CRC input and checksum 3310070434", () => {
  const { bids, asks } = t5();
  assert.equal(checksumInput(asks, bids), T5_INPUT);
  assert.equal(bookChecksum(asks, bids), 3310070434);
  const book = new L2Book(10);
  book.applySnapshot([...bids].reverse(), [...asks].reverse());
  assert.equal(book.checksum(), 3310070434);
});

Deno.test("T5b: the v1 CRC input string gives 974947235, and its book rebuilds the string", () => {
  assert.equal(crc32Text(T5B_INPUT), 974947235);
  const price = (n: number) => `0.${String(n).padStart(5, "0")}`;
  const asks = Array.from({ length: 10 }, (_, i) => lvl(price(5005 + 5 * i), "0.00000500"));
  // The documented string has no 0.04985 bid: the ten bids run 0.05000 to 0.04950 with that gap
  const bidPrices = [5000, 4995, 4990, 4980, 4975, 4970, 4965, 4960, 4955, 4950];
  const bids = bidPrices.map((n) => lvl(price(n), "0.00000500"));
  assert.equal(checksumInput(asks, bids), T5B_INPUT);
});

Deno.test("checksum digits drop the point and leading zeros only", () => {
  assert.equal(checksumDigits("45285.2"), "452852");
  assert.equal(checksumDigits("0.00100000"), "100000");
  assert.equal(checksumDigits("45281.0"), "452810");
});

Deno.test("trailing zeros matter: T5 with 0.10000000 written as 0.1 fails the checksum", () => {
  const { bids, asks } = t5();
  const lossy = bids.map((b) => b.qty === "0.10000000" ? { ...b, qty: "0.1" } : b);
  assert.notEqual(bookChecksum(asks, lossy), 3310070434);
});

Deno.test("a snapshot is sorted best first and ignores zero quantities", () => {
  const book = new L2Book(10);
  book.applySnapshot([lvl("1.0", "1"), lvl("3.0", "1"), lvl("2.0", "0.000")], [
    lvl("5.0", "2"),
    lvl("4.0", "2"),
  ]);
  assert.deepEqual(book.bids.map((l) => l.priceText), ["3.0", "1.0"]);
  assert.deepEqual(book.asks.map((l) => l.priceText), ["4.0", "5.0"]);
});

Deno.test("an update applies every level in order: qty 0 deletes, a repeated price ends last", () => {
  const book = new L2Book(10);
  const { bids, asks } = t5();
  book.applySnapshot(bids, asks);
  book.applyUpdate([lvl("45283.5", "0"), lvl("45283.0", "1.0"), lvl("45283.0", "2.5")], [
    lvl("45285.2", "0.00000000"),
  ]);
  assert.equal(book.bids[0]!.priceText, "45283.4");
  assert.deepEqual(book.bids.find((l) => l.priceText === "45283.0")?.qty, "2.5");
  assert.equal(book.asks[0]!.priceText, "45286.4");
  assert.equal(book.asks.length, 9);
  assert.equal(book.bids.length, 10);
});

Deno.test("after an update each side is truncated to the subscribed depth", () => {
  const book = new L2Book(10);
  const { bids, asks } = t5();
  book.applySnapshot(bids, asks);
  book.applyUpdate([lvl("45284.0", "1.00000000")], [lvl("45285.0", "1.00000000")]);
  assert.equal(book.bids.length, 10);
  assert.equal(book.asks.length, 10);
  assert.equal(book.bids.at(-1)!.priceText, "45277.3");
  assert.equal(book.asks.at(-1)!.priceText, "45297.5");
  const top = book.top(10);
  assert.deepEqual(top.bids[0], { price: 45284_000_000_000n, quantity: "1.00000000" });
  assert.deepEqual(top.asks[0], { price: 45285_000_000_000n, quantity: "1.00000000" });
});

Deno.test("isZeroQty() recognises zero in any form", () => {
  assert.equal(isZeroQty("0"), true);
  assert.equal(isZeroQty("0.00000000"), true);
  assert.equal(isZeroQty("0.00000001"), false);
});
