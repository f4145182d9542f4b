/** A reader-owned buffer of copied records: what a poll fills and a consumer reads. */

/** Up to `maxRecords` records in slot-sized strides, plus what the last poll lost. */
export class RecordBatch {
  readonly slotBytes: number;
  readonly maxRecords: number;
  readonly bytes: Uint8Array;
  readonly view: DataView;
  /** Records filled by the last poll. */
  count = 0;
  /** Records the last poll found lapped by the writer (never returned). */
  lost = 0;
  /** Sequence of the first record in the batch. */
  firstSequence = 0;

  constructor(slotBytes: number, maxRecords = 1024) {
    if (!Number.isInteger(maxRecords) || maxRecords < 1) {
      throw new RangeError(`Invalid batch size ${maxRecords}`);
    }
    this.slotBytes = slotBytes;
    this.maxRecords = maxRecords;
    this.bytes = new Uint8Array(slotBytes * maxRecords);
    this.view = new DataView(this.bytes.buffer);
  }

  /** Byte offset of record `index`. */
  offset(index: number): number {
    return index * this.slotBytes;
  }

  /** Record `index` as bytes (its own length, from the DBN header's length byte). */
  record(index: number): Uint8Array {
    const offset = index * this.slotBytes;
    const length = Math.min(this.bytes[offset]! * 4, this.slotBytes);
    return this.bytes.subarray(offset, offset + length);
  }
}
