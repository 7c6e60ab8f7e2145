import { describe, expect, it } from 'vitest';
import { formatMarkdown, formatTable, machineInfo, toJson, type BenchReport } from './bench-output.js';

const report: BenchReport = {
  results: [
    { backend: 'onnx', runtime: 'onnxruntime-node cpu', device: 'cpu', initMs: 812.4, fps: 31.234, msPerFrame: { p50: 31.9, p95: 35.27 }, peakRssMb: 301.4, gflops: 14.2213, parity: null, warnings: [] },
    { backend: 'tfjs', runtime: 'wasm-simd', device: 'cpu', initMs: 140, fps: 2.0512, msPerFrame: { p50: 487.5, p95: 501 }, peakRssMb: 402, parity: { against: 'onnx', maxAbsDiff: 1, psnr: 71.234567 }, warnings: ['wasm: single-threaded'] },
    { backend: 'same', runtime: 'x|y', device: 'cpu', initMs: 1, fps: 5, msPerFrame: { p50: 200, p95: 200 }, peakRssMb: 402, parity: { against: 'onnx', maxAbsDiff: 0, psnr: Number.POSITIVE_INFINITY }, warnings: [] },
  ],
  failed: [{ backend: 'gpu-only', stage: 'initialize', code: 'DEVICE_UNAVAILABLE', reason: 'no CUDA here' }],
  machine: { platform: 'linux', arch: 'x64', cpu: 'Test CPU', cores: 2, memoryGb: 23.4, node: 'v20.0.0' },
  settings: { model: 'esrgan-slim-x2', width: 128, height: 128, frames: 20, batch: 1, warmup: 2, device: 'auto', pictures: ['/a.png'] },
};

describe('bench output', () => {
  it('prints an aligned table with ref, inf, the failures and the RSS caveat', () => {
    const text = formatTable(report);
    const lines = text.split('\n');
    const head = lines.findIndex((l) => l.startsWith('backend'));
    expect(lines[head]).toMatch(/^backend\s+runtime\s+device\s+init ms\s+fps\s+ms\/frame p50\s+p95\s+GFLOP\/s\s+peak RSS MB\s+max \|Δ\|\s+PSNR dB$/);
    expect(lines[head + 2]).toMatch(/^onnx\s+onnxruntime-node cpu\s+cpu\s+812\s+31\.23\s+31\.9\s+35\.3\s+14\.2\s+301\s+ref\s+ref$/);
    expect(lines[head + 3]).toMatch(/^tfjs\s+wasm-simd\s+cpu\s+140\s+2\.05\s+487\.5\s+501\.0\s+-\s+402\s+1\s+71\.23$/);
    expect(lines[head + 4]).toMatch(/\s0\s+inf$/);
    // Columns line up: "fps" starts at the same offset in the header and under it.
    expect(lines[head + 2]!.indexOf('31.23')).toBe(lines[head]!.indexOf('fps'));
    expect(text).toContain('esrgan-slim-x2 on 20 frames of 128x128, batch 1, 2 warm-up frames');
    expect(text).toContain('gpu-only: unavailable (initialize failed, DEVICE_UNAVAILABLE): no CUDA here');
    expect(text).toContain('peak RSS is process-wide');
  });

  it('writes a markdown table with one cell per column and escaped pipes', () => {
    const md = formatMarkdown(report).split('\n');
    const rows = md.filter((l) => l.startsWith('|'));
    expect(rows).toHaveLength(2 + 3);
    const cells = (l: string) => l.split(/(?<!\\)\|/).length - 2;
    expect(new Set(rows.map(cells))).toEqual(new Set([11]));
    expect(rows[1]).toBe('| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    expect(rows[4]).toContain('x\\|y');
    expect(md.some((l) => l.startsWith('- gpu-only: unavailable'))).toBe(true);
  });

  it('emits the documented JSON shape, with null for infinite PSNR and for the reference', () => {
    const json = JSON.parse(JSON.stringify(toJson(report)));
    expect(json.results[0]).toEqual({ backend: 'onnx', runtime: 'onnxruntime-node cpu', device: 'cpu', initMs: 812.4, fps: 31.234, msPerFrame: { p50: 31.9, p95: 35.27 }, peakRssMb: 301.4, gflops: 14.2, parity: null, warnings: [] });
    expect(json.results[1].parity).toEqual({ against: 'onnx', maxAbsDiff: 1, psnr: 71.235 });
    expect(json.results[2].parity).toEqual({ against: 'onnx', maxAbsDiff: 0, psnr: null });
    expect(json.failed).toEqual(report.failed);
    expect(json.settings.model).toBe('esrgan-slim-x2');
    expect(Object.keys(json)).toEqual(['results', 'failed', 'machine', 'settings']);
  });

  it('describes this machine', () => {
    const m = machineInfo();
    expect(m.cores).toBeGreaterThan(0);
    expect(m.node).toBe(process.version);
  });
});
