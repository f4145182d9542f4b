/** Fixtures for the config tests: a minimal valid file and temp directories holding files. */
import { join } from "node:path";

/** The least a config file must say; every other key has a default. */
export const MINIMAL_TOML = `
symbols = ["BTCUSD", "ETHUSD"]

[accounts.default]
id = "SIM-001"
initial_balance = "100000"

[venues.binance]
ws_url = "wss://stream.binance.com:9443"
rest_url = "https://api.binance.com"

[venues.kraken]
ws_url = "wss://ws.kraken.com/v2"
rest_url = "https://api.kraken.com"

[venues.kraken_futures]
ws_url = "wss://futures.kraken.com/ws/v1"
rest_url = "https://futures.kraken.com"
`;

/** A new temp directory holding `files` (name -> text). */
export async function makeTempFiles(files: Record<string, string>): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "config_test_" });
  for (const [name, text] of Object.entries(files)) {
    await Deno.writeTextFile(join(dir, name), text);
  }
  return dir;
}
