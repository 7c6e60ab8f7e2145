import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OrderViolationError } from './errors.js';
import { OrderedBuffer } from './ordered-buffer.js';
import { sleep } from './test-support/fakes.js';

describe('OrderedBuffer', () => {
  it('releases items pushed in any order strictly in index order, within the window', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 60 }).chain((n) => fc.tuple(fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n }), fc.integer({ min: 1, max: 8 }), fc.array(fc.integer({ min: 0, max: 3 }), { minLength: n, maxLength: n }))),
        async ([order, window, delays]) => {
          const buf = new OrderedBuffer<string>({ window });
          let maxHeld = 0;
          // Each producer pushes its index after a random delay; several race at once.
          const producers = order.map(async (index, k) => {
            await sleep(delays[k]);
            await buf.push(index, `item-${index}`);
            maxHeld = Math.max(maxHeld, buf.size);
          });
          const out: number[] = [];
          const reader = (async () => {
            for await (const { index, item } of buf.drain()) {
              expect(item).toBe(`item-${index}`);
              out.push(index);
              if (out.length === order.length) break;
            }
          })();
          await Promise.all(producers);
          buf.close();
          await reader;
          expect(out).toEqual([...Array(order.length).keys()]);
          expect(maxHeld).toBeLessThanOrEqual(window);
          expect(buf.summary(order.length).missing).toEqual([]);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('makes a producer beyond the window wait until the consumer catches up', async () => {
    const buf = new OrderedBuffer<number>({ window: 2 });
    let pushed3 = false;
    const p3 = buf.push(3, 3).then(() => (pushed3 = true));
    await buf.push(1, 1);
    await sleep(5);
    expect(pushed3).toBe(false);
    await buf.push(0, 0);
    const it = buf.drain();
    expect((await it.next()).value).toEqual({ index: 0, item: 0 });
    expect((await it.next()).value).toEqual({ index: 1, item: 1 });
    await buf.push(2, 2);
    await p3;
    expect(pushed3).toBe(true);
  });

  it('rejects a repeated index and an index already released', async () => {
    const buf = new OrderedBuffer<number>({ window: 4 });
    await buf.push(1, 1);
    await expect(buf.push(1, 1)).rejects.toBeInstanceOf(OrderViolationError);
    await buf.push(0, 0);
    const it = buf.drain();
    await it.next();
    await expect(buf.push(0, 0)).rejects.toThrow(/delivered twice/);
  });

  it('reports every missing index and the stranded ones at the end', async () => {
    const buf = new OrderedBuffer<number>({ window: 10 });
    for (const i of [0, 1, 3, 4, 7]) await buf.push(i, i);
    buf.close();
    const seen: number[] = [];
    for await (const { index } of buf.drain()) seen.push(index);
    expect(seen).toEqual([0, 1]);
    expect(buf.summary(9)).toEqual({ released: 2, missing: [2, 5, 6, 8], stranded: [3, 4, 7] });
  });

  it('fail() wakes waiting producers and the reader with the error', async () => {
    const buf = new OrderedBuffer<number>({ window: 1 });
    const waiting = buf.push(5, 5);
    const reader = buf.drain().next();
    const boom = new Error('boom');
    buf.fail(boom);
    await expect(waiting).rejects.toBe(boom);
    await expect(reader).rejects.toBe(boom);
  });
});
