/** The state of one health check or of the whole service. */
export type CheckStatus = "ok" | "degraded" | "down";

/** What a health check reports; extra fields are passed through to `/health`. */
export interface CheckResult {
  status: CheckStatus;
  detail?: string;
  [extra: string]: unknown;
}

/** A named dependency probe run on every `/health` request. */
export interface HealthCheck {
  run: () => Promise<CheckResult> | CheckResult;
  /** A critical check that is down takes the service down (503); default true. */
  critical?: boolean;
  /** After this long the check counts as down; default 2000. */
  timeoutMs?: number;
}

/** One check's outcome as served on `/health`. */
export interface CheckReport {
  status: CheckStatus;
  detail?: string;
  latencyMs: number;
  [extra: string]: unknown;
}

/** The outcome of all checks, before the service adds its name, version and uptime. */
export interface HealthChecksReport {
  status: CheckStatus;
  checks: Record<string, CheckReport>;
}

/** Default time a check may take before it counts as down. */
export const DEFAULT_CHECK_TIMEOUT_MS = 2000;

const STATUSES: readonly string[] = ["ok", "degraded", "down"];
const MAX_DETAIL_LENGTH = 300;

/** Throws RangeError when a check's timeout is not a positive finite number of milliseconds. */
export function validateHealthChecks(checks: Readonly<Record<string, HealthCheck>>): void {
  for (const [name, check] of Object.entries(checks)) {
    const timeoutMs = check.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
      throw new RangeError(
        `Cannot use health check "${name}": timeoutMs must be a positive number, not ${timeoutMs}`,
      );
    }
  }
}

/** Runs every check concurrently and combines them into one status. */
export async function runHealthChecks(
  checks: Readonly<Record<string, HealthCheck>>,
): Promise<HealthChecksReport> {
  const entries = Object.entries(checks);
  const reports = await Promise.all(entries.map(([, check]) => runHealthCheck(check)));
  const out: Record<string, CheckReport> = {};
  let status: CheckStatus = "ok";
  entries.forEach(([name, check], i) => {
    const report = reports[i]!;
    Object.defineProperty(out, name, { value: report, enumerable: true, writable: true });
    status = worse(status, effectiveStatus(report.status, check.critical ?? true));
  });
  return { status, checks: out };
}

/** Runs one check; a throw, a timeout or an invalid result counts as down with a one-line detail. */
export async function runHealthCheck(check: HealthCheck): Promise<CheckReport> {
  const timeoutMs = check.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
  const started = performance.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`Check timed out after ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  let result: unknown;
  try {
    // The extra `then` turns a synchronous throw into a rejection.
    result = await Promise.race([Promise.resolve().then(() => check.run()), timeout]);
  } catch (e) {
    return { status: "down", detail: errorDetail(e), latencyMs: elapsed(started) };
  } finally {
    clearTimeout(timer);
  }
  return toReport(result, elapsed(started));
}

function toReport(result: unknown, latencyMs: number): CheckReport {
  if (result === null || typeof result !== "object") {
    return { status: "down", detail: "Check returned no result", latencyMs };
  }
  const { status, detail, latencyMs: _ignored, ...extra } = result as Record<string, unknown>;
  if (typeof status !== "string" || !STATUSES.includes(status)) {
    return {
      status: "down",
      detail: oneLine(`Check returned an invalid status ${JSON.stringify(status) ?? "undefined"}`),
      latencyMs,
    };
  }
  const described = detail === undefined ? {} : { detail: oneLine(String(detail)) };
  return { status: status as CheckStatus, ...described, ...extra, latencyMs };
}

function effectiveStatus(status: CheckStatus, critical: boolean): CheckStatus {
  return status === "down" && !critical ? "degraded" : status;
}

function worse(a: CheckStatus, b: CheckStatus): CheckStatus {
  return STATUSES.indexOf(b) > STATUSES.indexOf(a) ? b : a;
}

function errorDetail(error: unknown): string {
  if (error instanceof Error) return oneLine(error.message || error.name);
  return oneLine(String(error));
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > MAX_DETAIL_LENGTH ? `${line.slice(0, MAX_DETAIL_LENGTH - 3)}...` : line;
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 1000) / 1000;
}
