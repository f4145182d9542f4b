import type { Logger } from "@shared/obs/mod.ts";

/** Anything with a fetch handler, such as a Hono app. */
export interface FetchApp {
  fetch: (request: Request, info: Deno.ServeHandlerInfo) => Response | Promise<Response>;
}

/** Options for {@linkcode serveApp}. */
export interface ServeOptions {
  /** Interface to bind; defaults to "127.0.0.1" (pass "0.0.0.0" to listen on every interface). */
  hostname?: string;
  /** Port to bind; 0 picks a free ephemeral port. */
  port: number;
  logger?: Logger;
  /** Aborting it shuts the server down gracefully. */
  signal?: AbortSignal;
}

/** A listening server. */
export interface ServedApp {
  /** The bound port (the real one when 0 was asked for). */
  readonly port: number;
  /** Base URL, e.g. `http://127.0.0.1:8081`. */
  readonly url: string;
  /** Stops accepting connections, lets in-flight requests finish, and resolves when closed. */
  shutdown(): Promise<void>;
}

/** Serves an app with `Deno.serve`, resolving once it listens (without Deno's "Listening" line). */
export function serveApp(app: FetchApp, options: ServeOptions): Promise<ServedApp> {
  const hostname = options.hostname ?? "127.0.0.1";
  const { logger } = options;
  return new Promise<ServedApp>((resolve, reject) => {
    let server: Deno.HttpServer<Deno.NetAddr>;
    try {
      server = Deno.serve({
        hostname,
        port: options.port,
        signal: options.signal,
        handler: (request, info) => app.fetch(request, info),
        onListen: (addr) => {
          const url = `http://${formatHost(addr.hostname)}:${addr.port}`;
          logger?.info("Listening", { url });
          let closing: Promise<void> | undefined;
          resolve({
            port: addr.port,
            url,
            shutdown: () => {
              closing ??= server.shutdown().then(() => server.finished).then(() => {
                logger?.info("Stopped listening", { url });
              });
              return closing;
            },
          });
        },
      });
    } catch (e) {
      reject(e);
    }
  });
}

function formatHost(hostname: string): string {
  return hostname.includes(":") ? `[${hostname}]` : hostname;
}
