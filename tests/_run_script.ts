/** Runs one of our entry points as a child process, the way its `deno task` runs it. */
import { fileURLToPath } from "node:url";

/** The repository root (ends with a slash). */
export const ROOT = fileURLToPath(new URL("../", import.meta.url));

/** Options of {@linkcode runScript}. */
export interface RunScriptOptions {
  /** Deno permission flags (default `--allow-all`). */
  permissions?: string[];
  /** Working directory (default: the test's). */
  cwd?: string;
  /** Extra variables; with `clearEnv` only these plus HOME, PATH and DENO_DIR are set. */
  env?: Record<string, string>;
  clearEnv?: boolean;
}

/** What a run printed and how it ended. */
export interface ScriptRun {
  code: number;
  stdout: string;
  stderr: string;
  bytes: Uint8Array;
}

/** Runs `deno run <permissions> <ROOT><script> ...args` with NO_COLOR=1. */
export async function runScript(
  script: string,
  args: string[],
  options: RunScriptOptions = {},
): Promise<ScriptRun> {
  const env: Record<string, string> = { NO_COLOR: "1", ...options.env };
  if (options.clearEnv) {
    for (const name of ["HOME", "PATH", "DENO_DIR"]) {
      const value = Deno.env.get(name);
      if (value !== undefined) env[name] = value;
    }
  }
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      "--config",
      `${ROOT}deno.json`,
      ...(options.permissions ?? ["--allow-all"]),
      `${ROOT}${script}`,
      ...args,
    ],
    cwd: options.cwd,
    env,
    clearEnv: options.clearEnv ?? false,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  return {
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
    bytes: output.stdout,
  };
}
