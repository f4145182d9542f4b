/**
 * User strategies from TypeScript files: the file's SHA-256 (recorded with every result, so a run
 * names the exact code it ran) and its default export turned into a checked Strategy.
 * @module
 */
import { createHash } from "node:crypto";
import { basename, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { StrategyParamError } from "./errors.ts";
import { createStrategy, describeStrategies, isBuiltinStrategy } from "./strategies/mod.ts";
import type { Strategy } from "./types.ts";

/** A strategy file that is missing, does not load, or whose default export is not a Strategy. */
export class StrategyFileError extends Error {
  override readonly name = "StrategyFileError";
  readonly path: string;

  constructor(path: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.path = path;
  }
}

/** A loaded strategy file. */
export interface LoadedStrategyFile {
  strategy: Strategy;
  /** SHA-256 of the file's bytes, lower-case hex. */
  sha256: string;
  /** The absolute path. */
  path: string;
}

const METHODS = [
  "initialize",
  "onBarData",
  "barDataMode",
  "preferredBarType",
  "reset",
  "accountId",
] as const;

/** SHA-256 of a file, lower-case hex (what `sha256sum` prints); streams the file. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  using file = await Deno.open(path, { read: true });
  const buffer = new Uint8Array(64 * 1024);
  for (;;) {
    const n = await file.read(buffer);
    if (n === null) break;
    hash.update(buffer.subarray(0, n));
  }
  return hash.digest("hex");
}

/**
 * Imports `path` and returns its default export as a Strategy: a Strategy object, a class
 * (constructed without arguments) or a factory function returning one. Throws a one-line
 * StrategyFileError for a missing file, a module that fails to load, or a missing member.
 */
export async function loadStrategyFile(path: string): Promise<LoadedStrategyFile> {
  const absolute = resolve(path);
  let sha256: string;
  try {
    sha256 = await sha256File(absolute);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound || e instanceof Deno.errors.IsADirectory) {
      throw new StrategyFileError(path, `Strategy file "${path}" not found`, { cause: e });
    }
    throw e;
  }
  let module: Record<string, unknown>;
  try {
    module = await import(pathToFileURL(absolute).href);
  } catch (e) {
    const detail = (e instanceof Error ? e.message : String(e)).split("\n")[0];
    throw new StrategyFileError(path, `Cannot load strategy file "${path}": ${detail}`, {
      cause: e,
    });
  }
  const strategy = instantiate(path, module.default);
  return { strategy, sha256, path: absolute };
}

function instantiate(path: string, exported: unknown): Strategy {
  const fail = (why: string): never => {
    throw new StrategyFileError(path, `Strategy file "${path}": ${why}`);
  };
  if (exported === undefined || exported === null) {
    fail("no default export (export default a Strategy object, class or factory function)");
  }
  let candidate = exported;
  if (typeof exported === "function") {
    const isClass = /^class[\s{]/.test(Function.prototype.toString.call(exported));
    try {
      candidate = isClass ? new (exported as new () => unknown)() : (exported as () => unknown)();
    } catch (e) {
      const detail = (e instanceof Error ? e.message : String(e)).split("\n")[0];
      fail(`the default export threw while creating the strategy: ${detail}`);
    }
  }
  checkShape(candidate, fail, basename(path));
  return candidate as Strategy;
}

function checkShape(value: unknown, fail: (why: string) => never, file: string): void {
  if (typeof value !== "object" || value === null) {
    fail(`the default export is not a Strategy (got ${value === null ? "null" : typeof value})`);
  }
  const record = value as Record<string, unknown>;
  const missing: string[] = [];
  for (const key of ["id", "name"] as const) {
    if (typeof record[key] !== "string" || record[key] === "") missing.push(key);
  }
  if (!Array.isArray(record.params)) missing.push("params");
  for (const method of METHODS) {
    if (typeof record[method] !== "function") missing.push(`${method}()`);
  }
  if (missing.length > 0) {
    fail(`the strategy of ${file} lacks ${missing.join(", ")}`);
  }
}

/** A strategy ready to run: a built-in or a file, with the hash the logs record. */
export interface ResolvedStrategy {
  strategy: Strategy;
  /** SHA-256 of the code that runs: the file's bytes, or a built-in's source. */
  sha256: string;
  /** Set for a strategy file. */
  file?: { path: string; sha256: string };
}

/**
 * A built-in id or a strategy file path (anything with a slash or a .ts/.js ending). Throws
 * StrategyParamError("unknown_strategy") for an unknown id, StrategyFileError for a bad file.
 */
export async function resolveStrategy(spec: string): Promise<ResolvedStrategy> {
  if (isBuiltinStrategy(spec)) {
    const strategy = createStrategy(spec);
    return { strategy, sha256: await builtinHash(spec, strategy) };
  }
  if (!/[\\/]|\.[cm]?[jt]sx?$/.test(spec)) {
    const ids = describeStrategies().map((s) => s.id).join(", ");
    throw new StrategyParamError(
      "unknown_strategy",
      `Unknown strategy "${spec}": expected one of ${ids}, or a strategy file (.ts)`,
    );
  }
  const loaded = await loadStrategyFile(spec);
  return {
    strategy: loaded.strategy,
    sha256: loaded.sha256,
    file: { path: loaded.path, sha256: loaded.sha256 },
  };
}

/** SHA-256 of a built-in's module file; of its class source where the file is not readable. */
async function builtinHash(id: string, strategy: Strategy): Promise<string> {
  try {
    return await sha256File(new URL(`./strategies/${id}.ts`, import.meta.url).pathname);
  } catch {
    const source = Function.prototype.toString.call(strategy.constructor);
    return createHash("sha256").update(source).digest("hex");
  }
}
