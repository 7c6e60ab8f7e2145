/** Half-precision bits of `v`, for test values that fp16 holds exactly (throws otherwise, so no test depends on rounding). */
export function float32ToFloat16Bits(v: number): number {
  if (v === 0) return Object.is(v, -0) ? 0x8000 : 0;
  const sign = v < 0 ? 0x8000 : 0;
  const a = Math.abs(v);
  const exp = Math.floor(Math.log2(a));
  if (exp < -14 || exp > 15) throw new Error(`${v} is outside the normal fp16 range`);
  const mant = (a / 2 ** exp - 1) * 1024;
  if (!Number.isInteger(mant)) throw new Error(`${v} is not exact in fp16`);
  return sign | ((exp + 15) << 10) | mant;
}
