/**
 * Upgrades records and whole decoded streams to a later DBN version (DBN.md section 8.3). Only
 * InstrumentDefMsg, StatMsg, SymbolMappingMsg, ErrorMsg and SystemMsg change; others pass through.
 * @module
 */
import {
  DBN_VERSION,
  type DbnVersion,
  UNDEF_PRICE,
  UNDEF_STAT_QUANTITY,
  UNDEF_STAT_QUANTITY_V1,
} from "./constants.ts";
import { ErrorCode, RType, SystemCode } from "./enums.ts";
import { recordLayout } from "./layouts.ts";
import { type Metadata, upgradeMetadata } from "./metadata.ts";
import type { DbnRecord, DbnRecordV3 } from "./records.ts";

/** A decoded stream held in memory: its metadata and every record. */
export interface DbnData {
  metadata: Metadata;
  records: DbnRecord[];
}

const INSTRUMENT_DEF_V3_DEFAULTS: Readonly<Record<string, unknown>> = {
  legPrice: UNDEF_PRICE,
  legDelta: UNDEF_PRICE,
  legInstrumentId: 0,
  legRatioPriceNumerator: 0,
  legRatioPriceDenominator: 0,
  legRatioQtyNumerator: 0,
  legRatioQtyDenominator: 0,
  legUnderlyingId: 0,
  legCount: 0,
  legIndex: 0,
  legRawSymbol: "",
  legInstrumentClass: "",
  legSide: "N",
};

/** Converts a record decoded from a `fromVersion` stream to the layout of `toVersion` (default 3). */
export function upgradeRecord(record: DbnRecord, fromVersion: DbnVersion): DbnRecordV3;
export function upgradeRecord(
  record: DbnRecord,
  fromVersion: DbnVersion,
  toVersion: DbnVersion,
): DbnRecord;
export function upgradeRecord(
  record: DbnRecord,
  fromVersion: DbnVersion,
  toVersion: DbnVersion = DBN_VERSION,
): DbnRecord {
  if (toVersion < fromVersion) {
    throw new RangeError(`Cannot upgrade a DBN v${fromVersion} record to v${toVersion}`);
  }
  const source = record as unknown as Record<string, unknown>;
  switch (record.rtype) {
    case RType.InstrumentDef:
      if (toVersion === 3 && fromVersion < 3) {
        return copyByName(source, toVersion, {
          ...INSTRUMENT_DEF_V3_DEFAULTS,
          rawInstrumentId: BigInt(source.rawInstrumentId as number),
        });
      }
      return fromVersion === 1 && toVersion === 2 ? copyByName(source, 2, {}) : record;
    case RType.Statistics: {
      if (toVersion < 3 || fromVersion === 3) return record;
      const quantity = source.quantity as number;
      return copyByName(source, 3, {
        quantity: quantity === UNDEF_STAT_QUANTITY_V1 ? UNDEF_STAT_QUANTITY : BigInt(quantity),
      });
    }
    case RType.SymbolMapping:
      if (fromVersion > 1) return record;
      return copyByName(source, toVersion, { stypeIn: 255, stypeOut: 255 });
    case RType.Error:
      if (fromVersion > 1) return record;
      return copyByName(source, toVersion, {
        code: errorCodeOf(source.err as string),
        isLast: 255,
      });
    case RType.System:
      if (fromVersion > 1) return record;
      return copyByName(source, toVersion, { code: systemCodeOf(source.msg as string) });
    default:
      return record;
  }
}

/** Upgrades a decoded stream: metadata, and every record from the metadata's version. */
export function upgradeDbn(data: DbnData, toVersion: DbnVersion = DBN_VERSION): DbnData {
  const from = data.metadata.version;
  return {
    metadata: upgradeMetadata(data.metadata, toVersion),
    records: data.records.map((record) => upgradeRecord(record, from, toVersion)),
  };
}

// Builds the target layout's object: header, then each field from `overrides`, else by name from
// the source. Fields dropped by the target layout are discarded; `tsOut` is kept.
function copyByName(
  source: Readonly<Record<string, unknown>>,
  toVersion: DbnVersion,
  overrides: Readonly<Record<string, unknown>>,
): DbnRecord {
  const layout = recordLayout(source.rtype as number, toVersion)!;
  const out: Record<string, unknown> = {
    rtype: source.rtype,
    publisherId: source.publisherId,
    instrumentId: source.instrumentId,
    tsEvent: source.tsEvent,
  };
  for (const field of layout.fields) {
    if (field.kind === "reserved") continue;
    out[field.key] = field.key in overrides ? overrides[field.key] : source[field.key];
  }
  if (source.tsOut !== undefined) out.tsOut = source.tsOut;
  return out as DbnRecord;
}

function errorCodeOf(text: string): ErrorCode {
  if (text === "User or API key deactivated") return ErrorCode.ApiKeyDeactivated;
  if (text === "User has reached their open connection limit") {
    return ErrorCode.ConnectionLimitExceeded;
  }
  if (text.startsWith("Failed to resolve symbol")) return ErrorCode.SymbolResolutionFailed;
  if (text === "Internal error") return ErrorCode.InternalError;
  if (text.startsWith("Slow client detected for ")) {
    return ErrorCode.SkippedRecordsAfterSlowReading;
  }
  return ErrorCode.Unset;
}

function systemCodeOf(text: string): SystemCode {
  if (text === "Heartbeat") return SystemCode.Heartbeat;
  if (text.startsWith("End of interval for ")) return SystemCode.EndOfInterval;
  if (text.startsWith("Subscription request ") && text.endsWith(" succeeded")) {
    return SystemCode.SubscriptionAck;
  }
  if (text.startsWith("Warning: slow reading")) return SystemCode.SlowReaderWarning;
  if (text.startsWith("Finished ") && text.endsWith(" replay")) return SystemCode.ReplayCompleted;
  return SystemCode.Unset;
}
