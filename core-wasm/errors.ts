/** Status codes the WASM core returns for expected failures (see assembly/status.ts). */
export const Status = {
  Ok: 0,
  Syntax: 1,
  Inexact: 2,
  Overflow: 3,
  DivisionByZero: 4,
  InvalidArgument: 5,
  Empty: 6,
} as const;
export type Status = (typeof Status)[keyof typeof Status];

/** A failure of the WASM core itself: missing build, trap, or an unexpected status. */
export class CoreWasmError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "CoreWasmError";
    this.code = code;
  }
}

const STATUS_TEXT: Record<number, string> = {
  [Status.Syntax]: "not a decimal number",
  [Status.Inexact]: "more fractional digits than the scale holds",
  [Status.Overflow]: "out of the 64-bit range",
  [Status.DivisionByZero]: "division by zero",
  [Status.InvalidArgument]: "invalid argument",
  [Status.Empty]: "no values",
};

/** One-phrase description of a status code. */
export function statusText(status: number): string {
  return STATUS_TEXT[status] ?? `status ${status}`;
}

/** Throws the error that fits a failed status: SyntaxError for garbage, RangeError otherwise. */
export function throwStatus(status: number, what: string): never {
  const message = `${what}: ${statusText(status)}`;
  if (status === Status.Syntax) throw new SyntaxError(message);
  if (status === Status.InvalidArgument) throw new TypeError(message);
  throw new RangeError(message);
}
