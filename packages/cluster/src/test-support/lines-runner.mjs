// A PartRunner for the queue tests: "upscales" a frame by writing the line `frame N`, so a test can
// check that every frame of the output is there exactly once and in order. Parts are committed the
// way the media runner commits them (temp file, fsync, rename into the job's journal folder) and a
// part already committed with the right content is not redone. Env: FRAME_MS (time per frame),
// FAIL_FRAME (a frame that throws every time).
import { createHash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const journal = (output) => `${output}.upframe`;
const partFile = (output, index) => join(journal(output), `part-${String(index).padStart(5, '0')}.txt`);
const expected = (first, end) => Array.from({ length: end - first }, (_, i) => `frame ${first + i}\n`).join('');
const sha = (text) => createHash('sha256').update(text).digest('hex');

function commit(file, text) {
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  const fd = openSync(temp, 'w');
  writeSync(fd, text);
  fsyncSync(fd);
  closeSync(fd);
  renameSync(temp, file);
}

export function linesRunner({ frameMs = Number(process.env.FRAME_MS ?? 20), failFrame = process.env.FAIL_FRAME ? Number(process.env.FAIL_FRAME) : undefined, log = () => {} } = {}) {
  return {
    async runPart(data, progress) {
      const { index, firstFrame, endFrame } = data.part;
      const file = partFile(data.output, index);
      const want = expected(firstFrame, endFrame);
      if (existsSync(file) && readFileSync(file, 'utf8') === want) return { index, frames: endFrame - firstFrame, bytes: want.length, sha256: sha(want), reused: true };
      for (let f = firstFrame; f < endFrame; f++) {
        if (f === failFrame) throw new Error(`frame ${f}: the test backend fails on this frame`);
        await sleep(frameMs);
        progress({ framesDone: f - firstFrame + 1, frames: endFrame - firstFrame });
      }
      commit(file, want);
      log(`ran part ${index}`);
      return { index, frames: endFrame - firstFrame, bytes: want.length, sha256: sha(want), reused: false };
    },
    async join(data, parts) {
      const text = parts.map((p) => {
        const body = readFileSync(partFile(data.output, p.index), 'utf8');
        if (sha(body) !== p.sha256) throw new Error(`part ${p.index} changed since it was committed`);
        return body;
      }).join('');
      commit(data.output, text);
      return { output: data.output, frames: parts.reduce((n, p) => n + p.frames, 0) };
    },
  };
}
