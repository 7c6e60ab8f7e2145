import { describe, expect, it } from 'vitest';
import { barChartSvg, escapeXml, niceScale } from './svg-chart.js';

const options = { title: 'upframe bench: esrgan-slim-x2', subtitle: '20 frames', valueAxis: 'frames per second', categoryAxis: 'backend', unit: 'fps' };

/** Every opened element is closed in order: enough to know a browser will parse it. */
function balanced(svg: string): boolean {
  const stack: string[] = [];
  for (const [, close, name, , selfClosing] of svg.matchAll(/<(\/?)([a-zA-Z]+)((?:\s+[\w:-]+="[^"]*")*)\s*(\/?)>/g)) {
    if (selfClosing) continue;
    if (close) {
      if (stack.pop() !== name) return false;
    } else stack.push(name!);
  }
  return stack.length === 0;
}

const barWidths = (svg: string) => [...svg.matchAll(/<rect class="bar"[^>]* width="([\d.]+)"/g)].map((m) => Number(m[1]));

describe('barChartSvg', () => {
  it('draws bars to scale with their values, labels, title and axis captions', () => {
    const svg = barChartSvg(
      [
        { label: 'onnx', value: 40, detail: 'onnxruntime-node cpu, cpu' },
        { label: 'tfjs', value: 2.5, detail: 'wasm-simd, cpu' },
        { label: 'lanczos', value: 10 },
      ],
      options,
    );
    expect(balanced(svg)).toBe(true);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    const [onnx, tfjs, lanczos] = barWidths(svg);
    expect(tfjs! / onnx!).toBeCloseTo(2.5 / 40, 3);
    expect(lanczos! / onnx!).toBeCloseTo(10 / 40, 3);
    for (const text of ['upframe bench: esrgan-slim-x2', '20 frames', 'frames per second', '>backend<', '>onnx<', '>tfjs<', 'wasm-simd, cpu', '40.0 fps', '2.50 fps', '10.0 fps']) {
      expect(svg).toContain(text);
    }
    // No scripts, stylesheets or links: it renders the same anywhere.
    expect(svg).not.toMatch(/<script|<style|href=|url\(/);
  });

  it('puts a value inside a long bar and beside a short one', () => {
    const svg = barChartSvg([{ label: 'fast', value: 100 }, { label: 'slow', value: 1 }], options);
    expect(svg).toMatch(/text-anchor="end"[^>]*fill="#ffffff">100 fps</);
    expect(svg).toMatch(/text-anchor="start"[^>]*fill="#111827">1.00 fps</);
  });

  it('escapes markup in labels and copes with no bars or a zero', () => {
    const svg = barChartSvg([{ label: '<evil & "co">', value: 0 }], { ...options, title: 'a < b' });
    expect(balanced(svg)).toBe(true);
    expect(svg).toContain('&lt;evil &amp; &quot;co&quot;&gt;');
    expect(barWidths(svg)).toEqual([0]);
    expect(barChartSvg([], options)).toContain('no results');
    expect(escapeXml(`'`)).toBe('&apos;');
  });

  it('chooses round axis ends and tick steps', () => {
    expect(niceScale(7.3)).toEqual({ max: 8, step: 2 });
    expect(niceScale(40)).toEqual({ max: 40, step: 10 });
    expect(niceScale(0.37)).toEqual({ max: 0.4, step: 0.1 });
    expect(niceScale(11)).toEqual({ max: 12.5, step: 2.5 });
    expect(niceScale(0)).toEqual({ max: 1, step: 0.2 });
  });
});
