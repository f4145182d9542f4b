import {
  collectDefaultMetrics,
  Counter,
  Gauge,
  Histogram,
  type Metric,
  Registry,
} from "prom-client";

/** The Prometheus text exposition content type served on `/metrics`. */
export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

/** Options for {@linkcode createMetrics}. */
export interface MetricsOptions {
  /** Prepended to every metric name made through this registry, default metrics included. */
  prefix?: string;
  /** Labels added to every sample, e.g. `{ instance: "kraken-prod" }`. */
  defaultLabels?: Record<string, string>;
  /**
   * Also collect prom-client's process and runtime metrics (`process_start_time_seconds`,
   * memory, event-loop lag, ...). Off by default: each registry that opts in starts an event-loop
   * delay monitor and a GC observer that prom-client can never stop (harmless under Deno's test
   * sanitizers, but wasteful for the many short-lived registries tests create).
   */
  collectDefault?: boolean;
}

/** Definition of a counter or gauge. */
export interface MetricDefinition<L extends string = string> {
  name: string;
  help: string;
  labelNames?: readonly L[];
}

/** Definition of a histogram; `buckets` are upper bounds in the metric's unit. */
export interface HistogramDefinition<L extends string = string> extends MetricDefinition<L> {
  buckets?: number[];
}

/** A service's own metrics registry (never prom-client's global one). */
export interface Metrics {
  /** The underlying prom-client registry, for what the helpers do not cover. */
  readonly registry: Registry;
  readonly contentType: typeof PROMETHEUS_CONTENT_TYPE;
  /** Registers a counter, or returns the one already registered under that name. */
  counter<L extends string = string>(definition: MetricDefinition<L>): Counter<L>;
  /** Registers a gauge, or returns the one already registered under that name. */
  gauge<L extends string = string>(definition: MetricDefinition<L>): Gauge<L>;
  /** Registers a histogram, or returns the one already registered under that name. */
  histogram<L extends string = string>(definition: HistogramDefinition<L>): Histogram<L>;
  /** Renders every metric in the Prometheus text exposition format. */
  render(): Promise<string>;
}

/** Creates an isolated metrics registry with counter, gauge and histogram helpers. */
export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  const prefix = options.prefix ?? "";
  if (options.defaultLabels !== undefined) registry.setDefaultLabels(options.defaultLabels);
  if (options.collectDefault === true) collectDefaultMetrics({ register: registry, prefix });

  // deno-lint-ignore no-explicit-any
  type MetricClass = new (config: any) => Metric<string>;
  const getOrCreate = <M>(kind: MetricClass, definition: HistogramDefinition): M => {
    const name = prefix + definition.name;
    const existing = registry.getSingleMetric(name);
    if (existing !== undefined) {
      assertSameMetric(existing, kind, name, definition.labelNames ?? []);
      return existing as M;
    }
    const config: Record<string, unknown> = {
      name,
      help: definition.help,
      labelNames: [...(definition.labelNames ?? [])],
      registers: [registry],
    };
    if ("buckets" in definition && definition.buckets !== undefined) {
      config.buckets = definition.buckets;
    }
    return new kind(config) as M;
  };

  return {
    registry,
    contentType: PROMETHEUS_CONTENT_TYPE,
    counter: (definition) => getOrCreate(Counter, definition),
    gauge: (definition) => getOrCreate(Gauge, definition),
    histogram: (definition) => getOrCreate(Histogram, definition),
    render: () => registry.metrics(),
  };
}

function assertSameMetric(
  existing: Metric<string>,
  kind: abstract new (...args: never[]) => unknown,
  name: string,
  labelNames: readonly string[],
): void {
  if (!(existing instanceof kind)) {
    throw new TypeError(
      `Cannot register ${kind.name.toLowerCase()} "${name}": it is already registered as a ` +
        `${existing.constructor.name.toLowerCase()}`,
    );
  }
  const known = (existing as unknown as { labelNames?: readonly string[] }).labelNames ?? [];
  const same = known.length === labelNames.length && labelNames.every((l) => known.includes(l));
  if (!same) {
    throw new TypeError(
      `Cannot register "${name}" with labels [${labelNames.join(", ")}]: it is already ` +
        `registered with labels [${known.join(", ")}]`,
    );
  }
}
