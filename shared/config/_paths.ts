import { isAbsolute, relative, resolve } from "node:path";

/** A path for messages: relative to the working directory when inside it, else absolute. */
export function displayPath(file: string): string {
  const absolute = resolve(file);
  let cwd: string;
  try {
    cwd = Deno.cwd();
  } catch {
    return absolute;
  }
  const rel = relative(cwd, absolute);
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel) ? rel : absolute;
}
