import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryLogger, type UpframeError } from '@upframe/core';
import { FfmpegSource } from './ffmpeg-source.js';
import { ImageSource } from './image-source.js';
import { assertInputFile } from './input-file.js';
import { detectInputKind } from './input-kind.js';
import { tempDir } from './test-support/fixtures.js';

let dir: string;
let cleanup: () => Promise<void>;
let fifo: string;
let fifoPng: string;
let socket: string;
let server: Server;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  fifo = join(dir, 'stream.mp4');
  fifoPng = join(dir, 'frame.png');
  execFileSync('mkfifo', [fifo, fifoPng]);
  socket = join(dir, 'control.sock');
  server = createServer();
  await new Promise<void>((done) => server.listen(socket, done));
});
afterAll(async () => {
  await new Promise((done) => server.close(done));
  await cleanup();
});

/** Run `attempt`, which must fail; returns the error and how long it took. Opening a FIFO would hang. */
async function timedFailure(attempt: () => Promise<unknown>): Promise<{ error: UpframeError; ms: number }> {
  const started = performance.now();
  const error = await attempt().then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e as UpframeError,
  );
  return { error, ms: performance.now() - started };
}

/** A block device node made here (root only), else the first one in /dev. */
function blockDevice(path: string): string {
  try {
    execFileSync('mknod', [path, 'b', '7', '0'], { stdio: 'pipe' });
    return path;
  } catch {
    const found = readdirSync('/dev').map((n) => join('/dev', n)).find((p) => statSync(p, { throwIfNoEntry: false })?.isBlockDevice());
    if (!found) throw new Error('no block device to test with: mknod failed and /dev has none');
    return found;
  }
}

const FIFO_MESSAGE = (path: string) => `${path} is a FIFO (named pipe); upframe reads regular files`;

describe('inputs that are not regular files', () => {
  it('a FIFO is named as one, promptly, without opening it (an open would block)', { timeout: 10_000 }, async () => {
    for (const attempt of [() => assertInputFile(fifo), () => detectInputKind(fifo), () => new FfmpegSource({ input: fifo }, createMemoryLogger()).open()]) {
      const { error, ms } = await timedFailure(attempt);
      expect(error).toMatchObject({ code: 'INPUT_INVALID', file: fifo, message: FIFO_MESSAGE(fifo) });
      expect(ms).toBeLessThan(2000);
    }
    // An image extension does not get it past the check.
    const { error } = await timedFailure(() => new ImageSource({ input: fifoPng }, createMemoryLogger()).open());
    expect(error.message).toBe(FIFO_MESSAGE(fifoPng));
    expect((await timedFailure(() => detectInputKind(fifoPng))).error.message).toBe(FIFO_MESSAGE(fifoPng));
  });

  it('/dev/zero and /dev/null are character devices, not "empty (0 bytes)"', { timeout: 10_000 }, async () => {
    for (const device of ['/dev/zero', '/dev/null']) {
      for (const attempt of [() => assertInputFile(device), () => detectInputKind(device)]) {
        const { error, ms } = await timedFailure(attempt);
        expect(error).toMatchObject({ code: 'INPUT_INVALID', message: `${device} is a character device, not a file` });
        expect(error.message).not.toMatch(/empty/);
        expect(error.hint).toMatch(/save it to a file first/);
        expect(ms).toBeLessThan(2000);
      }
    }
  });

  it('names block devices and sockets', async () => {
    const block = blockDevice(join(dir, 'disk'));
    expect((await timedFailure(() => assertInputFile(block))).error.message).toBe(`${block} is a block device, not a file`);
    expect((await timedFailure(() => detectInputKind(socket))).error.message).toBe(`${socket} is a socket, not a file`);
  });

  it('still calls an empty regular file empty', async () => {
    const empty = join(dir, 'empty.mp4');
    execFileSync('touch', [empty]);
    expect((await timedFailure(() => assertInputFile(empty))).error.message).toBe(`input ${empty} is empty (0 bytes)`);
  });
});
