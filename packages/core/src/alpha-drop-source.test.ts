import { describe, expect, it } from 'vitest';
import { flattenAlpha, flattenAlpha16, hasTransparency, parseColour } from './alpha.js';
import { bytesOf16, samples16 } from './sample-depth.js';
import { AlphaDropSource } from './alpha-drop-source.js';
import { isUpframeError } from './errors.js';
import { FakeSource } from './test-support/fakes.js';

describe('alpha read from the pixels, and dropped on request', () => {
  it('hasTransparency looks at every alpha byte, not at the layout', () => {
    const opaque = new Uint8Array([1, 2, 3, 255, 4, 5, 6, 255]);
    expect(hasTransparency(opaque)).toBe(false);
    const lastClear = new Uint8Array([1, 2, 3, 255, 4, 5, 6, 254]);
    expect(hasTransparency(lastClear)).toBe(true);
  });

  it('parseColour takes #rgb and #rrggbb and names the forms it takes', () => {
    expect(parseColour('#ffffff')).toEqual([255, 255, 255]);
    expect(parseColour('0a0')).toEqual([0, 170, 0]);
    let caught: unknown;
    try {
      parseColour('white');
    } catch (error) {
      caught = error;
    }
    expect(isUpframeError(caught) && caught.code).toBe('USAGE');
    expect((caught as Error).message).toMatch(/#rrggbb/);
  });

  it('flattenAlpha composites straight alpha over the background', () => {
    const rgba = new Uint8Array([200, 100, 0, 255, 200, 100, 0, 0, 200, 100, 0, 128]);
    expect([...flattenAlpha(rgba, [0, 0, 255])]).toEqual([200, 100, 0, 0, 0, 255, 100, 50, 127]);
  });

  it('flattenAlpha16 composites 16-bit samples without rounding them to 8 bits', () => {
    // opaque (kept exactly, 8-bit levels would lose the 1), clear (background × 257), half.
    const rgba64 = bytesOf16(new Uint16Array([1001, 2, 65534, 65535, 7, 7, 7, 0, 40000, 0, 0, 32768]));
    expect([...samples16(flattenAlpha16(rgba64, [0, 0, 255]))]).toEqual([1001, 2, 65534, 0, 0, 65535, 20000, 0, 32767]);
  });

  it('AlphaDropSource turns 16-bit RGBA frames into 16-bit RGB (rgba64 → rgb48)', async () => {
    const deep = new AlphaDropSource(new FakeSource(2, { layout: 'rgba64', content: () => 0 }), [255, 255, 255], '#ffffff');
    expect((await deep.open()).layout).toBe('rgb48');
    const frames = [];
    for await (const f of deep.frames()) frames.push(f);
    expect(frames.map((f) => [f.layout, f.data.length])).toEqual([['rgb48', frames[0].width * frames[0].height * 6], ['rgb48', frames[0].width * frames[0].height * 6]]);
  });

  it('AlphaDropSource turns RGBA frames into flattened RGB and warns once; opaque sources pass through', async () => {
    const rgba = new AlphaDropSource(new FakeSource(3, { layout: 'rgba', content: () => 0 }), [255, 255, 255], '#ffffff');
    const info = await rgba.open();
    expect(info.layout).toBe('rgb24');
    expect(info.warnings).toEqual(['fake.mp4: transparency dropped as asked (--alpha drop): flattened onto #ffffff']);
    const frames = [];
    for await (const f of rgba.frames()) frames.push(f);
    expect(frames.map((f) => f.index)).toEqual([0, 1, 2]);
    expect(frames.every((f) => f.layout === 'rgb24' && f.data.length === 4 * 3 * 3 && f.data.every((b) => b === 255))).toBe(true);

    const rgb = new AlphaDropSource(new FakeSource(2), [255, 255, 255], '#ffffff');
    const plain = await rgb.open();
    expect(plain.layout).toBe('rgb24');
    expect(plain.warnings).toBeUndefined();
  });

  it('AlphaDropSource passes a resumed run\'s startAt() and the decoded count through to the decoder', () => {
    const inner = Object.assign(new FakeSource(3), { starts: [] as number[], framesDecoded: 7, startAt(index: number) { this.starts.push(index); } });
    const wrapped = new AlphaDropSource(inner, [255, 255, 255], '#ffffff');
    wrapped.startAt(2);
    expect(inner.starts).toEqual([2]);
    expect(wrapped.framesDecoded).toBe(7);
  });
});
