/** Test support shared by the adapters: a recording sink, fast reconnects, recorded payloads. */
import type {
  BookEvent,
  DropReason,
  MarketEvent,
  QuoteEvent,
  StreamSink,
  TradeEvent,
} from "./events.ts";
import type { FakeVenue } from "./_fake_venue_server.ts";
import type { LiveStreamProvider } from "./types.ts";

/** A StreamSink keeping every event and drop, with typed views. */
export class RecordingSink implements StreamSink {
  readonly events: MarketEvent[] = [];
  readonly drops: { reason: DropReason; detail: Record<string, unknown> }[] = [];

  /** Records an event. */
  onEvent(event: MarketEvent): void {
    this.events.push(event);
  }

  /** Records a drop. */
  onDrop(reason: DropReason, detail: Record<string, unknown>): void {
    this.drops.push({ reason, detail });
  }

  /** Trade events so far. */
  get trades(): TradeEvent[] {
    return this.events.filter((e): e is TradeEvent => e.kind === "trade");
  }

  /** BBO events so far. */
  get quotes(): QuoteEvent[] {
    return this.events.filter((e): e is QuoteEvent => e.kind === "bbo");
  }

  /** Book events so far. */
  get books(): BookEvent[] {
    return this.events.filter((e): e is BookEvent => e.kind === "book");
  }

  /** Drop reasons in order. */
  get reasons(): DropReason[] {
    return this.drops.map((d) => d.reason);
  }
}

/** Small WsClient backoff for tests. */
export const FAST = { initialMs: 10, maxMs: 50 };

/** What {@linkcode fakeVenuePair} hands the provider factory. */
export interface FakeVenueBase {
  wsUrl: string;
  restUrl: string;
  sink: RecordingSink;
  backoff: typeof FAST;
}

/** A fake venue and a provider on it, with the provider's sink; disposing closes both. */
export interface FakeVenuePair<F extends FakeVenue, P extends LiveStreamProvider>
  extends AsyncDisposable {
  fake: F;
  sink: RecordingSink;
  provider: P;
}

/** Awaits the fake, then builds the provider on its URLs with a RecordingSink and FAST backoff. */
export async function fakeVenuePair<F extends FakeVenue, P extends LiveStreamProvider>(
  start: Promise<F>,
  create: (base: FakeVenueBase) => P,
): Promise<FakeVenuePair<F, P>> {
  const fake = await start;
  const sink = new RecordingSink();
  const provider = create({ wsUrl: fake.wsUrl, restUrl: fake.restUrl, sink, backoff: FAST });
  return {
    fake,
    sink,
    provider,
    async [Symbol.asyncDispose]() {
      await provider.disconnect();
      await fake.close();
    },
  };
}

/** A plain WebSocket client that collects the text it receives; resolves once open. */
export async function openSocket(url: string): Promise<{ socket: WebSocket; replies: string[] }> {
  const socket = new WebSocket(url);
  const replies: string[] = [];
  socket.onmessage = (event) => replies.push(String(event.data));
  await new Promise((resolve, reject) => {
    socket.onopen = resolve;
    socket.onerror = reject;
  });
  return { socket, replies };
}

/** Closes a client socket and waits for the close to finish. */
export async function closeSocket(socket: WebSocket): Promise<void> {
  const closed = new Promise((resolve) => socket.onclose = resolve);
  socket.close();
  await closed;
}

/** A documented example message of `testdata/<venue>/`, verbatim. */
export function testdata(venue: string, name: string): string {
  return Deno.readTextFileSync(new URL(`testdata/${venue}/${name}`, import.meta.url));
}

/** Resolves after `ms`. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
