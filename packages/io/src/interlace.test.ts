import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deinterlaceFilter, parseDeinterlaceMode, perFieldTiming, scanFromFieldOrder, scanFromIdet } from './interlace.js';
import { availableFfmpegs, tempDir } from './test-support/fixtures.js';
import { combing, makeInterlacedClip, type InterlacedKind } from './test-support/interlaced-media.js';
import { decodeAll } from './test-support/media.js';

describe('scan detection', () => {
  it('reads the field order shown first from field_order', () => {
    expect(scanFromFieldOrder('tt')).toMatchObject({ interlaced: true, parity: 'tff' });
    expect(scanFromFieldOrder('bt')).toMatchObject({ interlaced: true, parity: 'tff' });
    expect(scanFromFieldOrder('bb')).toMatchObject({ interlaced: true, parity: 'bff' });
    expect(scanFromFieldOrder('tb')).toMatchObject({ interlaced: true, parity: 'bff' });
    expect(scanFromFieldOrder('progressive')).toMatchObject({ interlaced: false });
    expect(scanFromFieldOrder('unknown')).toBeUndefined();
    expect(scanFromFieldOrder(undefined)).toBeUndefined();
  });

  it('calls a stream interlaced only when idet finds combing in most frames', () => {
    const line = (t: number, b: number, p: number) => `[Parsed_idet_0 @ 0x1] Multi frame detection: TFF:    ${t} BFF:     ${b} Progressive:    ${p} Undetermined:     0`;
    expect(scanFromIdet(line(25, 0, 0))).toMatchObject({ interlaced: true, parity: 'tff' });
    expect(scanFromIdet(line(1, 30, 2))).toMatchObject({ interlaced: true, parity: 'bff' });
    expect(scanFromIdet(line(3, 0, 97))).toMatchObject({ interlaced: false });
    expect(scanFromIdet(line(4, 0, 0))).toMatchObject({ interlaced: false });
    expect(scanFromIdet('no idet here')).toMatchObject({ interlaced: false });
  });

  it('builds bwdif per mode: flags decide for flagged streams, every frame otherwise', () => {
    expect(deinterlaceFilter('frame', scanFromFieldOrder('tt'))).toBe('bwdif=mode=send_frame:parity=auto:deint=interlaced');
    expect(deinterlaceFilter('frame', scanFromIdet('Multi frame detection: TFF: 0 BFF: 25 Progressive: 0'))).toBe('bwdif=mode=send_frame:parity=bff:deint=all');
    expect(deinterlaceFilter('field', scanFromFieldOrder('tt'))).toBe('bwdif=mode=send_field:parity=tff:deint=all');
    expect(deinterlaceFilter('frame', undefined)).toBe('bwdif=mode=send_frame:parity=auto:deint=all');
  });

  it('gives each field its own pts on a halved time base', () => {
    expect(perFieldTiming({ num: 1, den: 25 }, [0, 1, 2], [1, 1, 1])).toEqual({ timeBase: { num: 1, den: 50 }, pts: [0, 1, 2, 3, 4, 5], durations: [1, 1, 1, 1, 1, 1] });
  });

  it('rejects an unknown mode, listing the allowed ones', () => {
    expect(parseDeinterlaceMode('field')).toBe('field');
    expect(() => parseDeinterlaceMode('yes')).toThrow(/allowed: auto, off, frame, field/);
  });
});

let dir: string;
let cleanup: () => Promise<void>;
const clips = {} as Record<InterlacedKind, string>;

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  for (const kind of ['tff', 'bff', 'unflagged', 'combed-progressive', 'progressive'] as const) clips[kind] = await makeInterlacedClip(dir, kind);
});
afterAll(() => cleanup());

const meanCombing = (frames: { data: Uint8Array; width: number; height: number }[]) => frames.reduce((sum, f) => sum + combing(f.data, f.width, f.height), 0) / frames.length;

describe.each(await availableFfmpegs())('FfmpegSource deinterlacing ($label)', ({ ffmpegPath, ffprobePath }) => {
  const bins = { ffmpegPath, ffprobePath };

  it.each(['tff', 'bff', 'unflagged'] as const)('%s: detected, deinterlaced one frame per frame, count and pts kept', async (kind) => {
    const off = await decodeAll(clips[kind], { ...bins, deinterlace: 'off' });
    const auto = await decodeAll(clips[kind], bins);
    const info = await auto.source.open();
    expect(info.warnings).toEqual([expect.stringMatching(/interlaced \((field_order|idet).*deinterlacing with bwdif, one frame per frame/)]);
    expect(info.details?.scan).toMatch(kind === 'unflagged' ? /^idet on the first frames: \d+ tff/ : /^field_order (tt|bb)$/);
    expect(off.frames).toHaveLength(25);
    expect(auto.frames.map((f) => f.pts)).toEqual(off.frames.map((f) => f.pts));
    // Woven fields of moving content: neighbouring lines differ more than same-field lines (> 1).
    expect(meanCombing(off.frames)).toBeGreaterThan(1);
    expect(meanCombing(auto.frames)).toBeLessThan(0.8);
    expect((await off.source.open()).warnings).toBeUndefined();
  });

  it('trusts a stored "progressive"; --deinterlace frame deinterlaces a combed file tagged so', async () => {
    const auto = await decodeAll(clips['combed-progressive'], bins);
    expect((await auto.source.open()).warnings).toBeUndefined();
    expect(meanCombing(auto.frames)).toBeGreaterThan(1);
    const forced = await decodeAll(clips['combed-progressive'], { ...bins, deinterlace: 'frame' });
    expect((await forced.source.open()).warnings).toEqual([expect.stringMatching(/deinterlaced as asked \(--deinterlace frame; field_order progressive\)/)]);
    expect(forced.frames.map((f) => f.pts)).toEqual(auto.frames.map((f) => f.pts));
    expect(meanCombing(forced.frames)).toBeLessThan(0.8);
  });

  it('leaves a progressive clip alone', async () => {
    const { frames, source } = await decodeAll(clips.progressive, bins);
    const info = await source.open();
    expect(info.warnings).toBeUndefined();
    expect(info.details?.scan).toBe('field_order progressive');
    expect(frames).toHaveLength(25);
    expect(meanCombing(frames)).toBeLessThan(0.8);
  });

  it('field: one frame per field at twice the rate, each with its own pts', async () => {
    const { frames, source } = await decodeAll(clips.tff, { ...bins, deinterlace: 'field' });
    const info = await source.open();
    expect(info).toMatchObject({ frameCount: 50, frameRate: { num: 50, den: 1 } });
    expect(frames).toHaveLength(50);
    const seconds = frames.map((f) => (f.pts * f.timeBase.num) / f.timeBase.den);
    seconds.forEach((s, i) => expect(s).toBeCloseTo(i * 0.02, 6));
    expect(meanCombing(frames)).toBeLessThan(0.8);
  });
});
