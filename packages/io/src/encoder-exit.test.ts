import { describe, expect, it } from 'vitest';
import { encoderFailureMessage } from './encoder-exit.js';

const base = { what: 'ffmpeg stopped accepting frames at frame 7', output: '/videos/out.mp4', cause: Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }) };
const exit = (code: number | null, signal: NodeJS.Signals | null = null, killedByUs = false) => ({ status: { code, signal }, killedByUs });

describe('encoderFailureMessage', () => {
  it('says ffmpeg was killed, and by what, instead of "write EPIPE"', () => {
    const message = encoderFailureMessage({ ...base, stages: [exit(null, 'SIGKILL')], stderr: '' });
    expect(message).toBe('ffmpeg was killed by SIGKILL while encoding /videos/out.mp4 (out of memory, or killed by another process?); ffmpeg stopped accepting frames at frame 7');
    expect(message).not.toMatch(/EPIPE/);
  });

  it('blames the stage that was killed, not the one that got SIGPIPE from it, nor one upframe killed', () => {
    const piped = encoderFailureMessage({ ...base, stages: [exit(null, 'SIGPIPE'), exit(null, 'SIGSEGV')], stderr: '' });
    expect(piped).toMatch(/^ffmpeg was killed by SIGSEGV/);
    const ours = encoderFailureMessage({ ...base, stages: [exit(null, 'SIGKILL', true), exit(1)], stderr: 'Conversion failed!' });
    expect(ours).toBe('ffmpeg exited with code 1 while encoding /videos/out.mp4; ffmpeg stopped accepting frames at frame 7:\nConversion failed!');
  });

  it('gives the exit code and ffmpeg\'s stderr tail for an ffmpeg that gave up', () => {
    const message = encoderFailureMessage({ ...base, stages: [exit(187)], stderr: '[libx264 @ 0x1] something broke' });
    expect(message).toMatch(/^ffmpeg exited with code 187 while encoding \/videos\/out\.mp4; .*:\n\[libx264 @ 0x1\] something broke$/);
    expect(encoderFailureMessage({ ...base, stages: [exit(1)], stderr: '' })).toMatch(/ffmpeg printed no error message$/);
  });

  it('falls back to what happened and our own error when ffmpeg has not exited', () => {
    expect(encoderFailureMessage({ ...base, stages: [{ status: undefined, killedByUs: false }], stderr: '' })).toBe('ffmpeg stopped accepting frames at frame 7 (/videos/out.mp4):\nwrite EPIPE');
  });
});
