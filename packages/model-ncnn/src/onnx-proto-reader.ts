/**
 * Reads the protocol-buffers wire format field by field, without a schema: enough to edit an
 * existing `.onnx` file (keep most fields as raw bytes, look into a few).
 */

export interface ProtoField {
  readonly field: number;
  readonly wire: number;
  /** Start of the tag: `bytes.subarray(start, end)` is the whole field, ready to copy. */
  readonly start: number;
  readonly end: number;
  /** Varint value (wire 0). */
  readonly value?: bigint;
  /** Payload of a length-delimited field (wire 2). */
  readonly payload?: Uint8Array;
}

function varint(bytes: Uint8Array, at: number): [bigint, number] {
  let result = 0n;
  let shift = 0n;
  for (let i = at; i < bytes.length; i++) {
    const b = bytes[i]!;
    result |= BigInt(b & 0x7f) << shift;
    if (b < 0x80) return [result, i + 1];
    shift += 7n;
    if (shift > 63n) break;
  }
  throw new RangeError(`malformed protobuf: bad varint at byte ${at}`);
}

/** Every field of one message, in order. Throws `RangeError` on bytes that are not a message. */
export function readFields(bytes: Uint8Array): ProtoField[] {
  const fields: ProtoField[] = [];
  let at = 0;
  while (at < bytes.length) {
    const start = at;
    const [tag, afterTag] = varint(bytes, at);
    const field = Number(tag >> 3n);
    const wire = Number(tag & 7n);
    if (field === 0) throw new RangeError(`malformed protobuf: field 0 at byte ${start}`);
    if (wire === 0) {
      const [value, next] = varint(bytes, afterTag);
      fields.push({ field, wire, start, end: next, value });
      at = next;
    } else if (wire === 2) {
      const [length, next] = varint(bytes, afterTag);
      const end = next + Number(length);
      if (end > bytes.length) throw new RangeError(`malformed protobuf: field ${field} runs past the end`);
      fields.push({ field, wire, start, end, payload: bytes.subarray(next, end) });
      at = end;
    } else if (wire === 1 || wire === 5) {
      const end = afterTag + (wire === 1 ? 8 : 4);
      if (end > bytes.length) throw new RangeError(`malformed protobuf: field ${field} runs past the end`);
      fields.push({ field, wire, start, end });
      at = end;
    } else {
      throw new RangeError(`malformed protobuf: wire type ${wire} at byte ${start}`);
    }
  }
  return fields;
}

const utf8 = new TextDecoder();

/** The first string field `field` of a message, or undefined. */
export function stringField(message: Uint8Array, field: number): string | undefined {
  const found = readFields(message).find((f) => f.field === field && f.payload);
  return found?.payload ? utf8.decode(found.payload) : undefined;
}
