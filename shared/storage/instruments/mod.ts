/**
 * Instrument ids: the deterministic u32 rule for non-Databento instruments and the registry in
 * front of the `instruments` table.
 * @module
 */
export {
  hashInstrumentId,
  instrumentIdCandidates,
  type InstrumentIdHash,
  isAssignableInstrumentId,
  isInstrumentId,
  MAX_ID_ATTEMPTS,
  MAX_INSTRUMENT_ID,
  RESERVED_INSTRUMENT_IDS,
} from "./instrument_id.ts";
export {
  type Instrument,
  instrumentDefaults,
  type InstrumentOptions,
  InstrumentRegistry,
  type InstrumentRegistryOptions,
  type InstrumentSource,
} from "./registry.ts";
