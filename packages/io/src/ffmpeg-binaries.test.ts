import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decoderSecurityWarning, describeBinaries, describeFfmpeg, resolveFfmpegBinaries } from './ffmpeg-binaries.js';
import { parseFfmpegVersion, passthroughTimingArgs, versionAtLeast } from './ffmpeg-version.js';
import { availableFfmpegs, bundledBinaries, tempDir } from './test-support/fixtures.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir()));
afterAll(() => cleanup());

const banner = (first: string, lavu: string) => `${first} Copyright (c) 2000-2018 the FFmpeg developers\nbuilt with gcc\nlibavutil      ${lavu} / ${lavu}\nlibavcodec     58. 42.100\n`;

describe('parseFfmpegVersion', () => {
  it('reads release versions as printed by distributions and ffmpeg.org builds', () => {
    expect(parseFfmpegVersion(banner('ffmpeg version 5.1.6-0+deb12u1', '57. 28.100'))).toMatchObject({ major: 5, minor: 1 });
    expect(parseFfmpegVersion(banner('ffmpeg version n7.0.2', '59.  8.100'))).toMatchObject({ major: 7, minor: 0 });
    expect(parseFfmpegVersion(banner('ffprobe version 4.4.2-0ubuntu0.22.04.1', '56. 70.100'))).toMatchObject({ major: 4, minor: 4 });
  });

  it('dates git snapshot builds by their libavutil version', () => {
    expect(parseFfmpegVersion(banner('ffmpeg version N-47683-g0e8eb07980-static', '56. 24.101'))).toMatchObject({ major: 4, year: 2018 });
    expect(parseFfmpegVersion(banner('ffmpeg version N-110000-gabc', '57. 28.100'))).toMatchObject({ major: 5, minor: 1 });
    expect(parseFfmpegVersion(banner('ffmpeg version N-110000-gabc', '57. 17.100'))).toMatchObject({ major: 5, minor: 0 });
    expect(parseFfmpegVersion('not ffmpeg at all')).toBeUndefined();
  });

  it('chooses -fps_mode from 5.1 and -vsync before', () => {
    const old = parseFfmpegVersion(banner('ffmpeg version 4.4.2', '56. 70.100'))!;
    const current = parseFfmpegVersion(banner('ffmpeg version 6.1', '58. 29.100'))!;
    expect(passthroughTimingArgs(old)).toEqual(['-vsync', 'passthrough']);
    expect(passthroughTimingArgs(current)).toEqual(['-fps_mode', 'passthrough']);
    expect(versionAtLeast(current, 5, 1)).toBe(true);
  });
});

describe('resolveFfmpegBinaries', () => {
  it('falls back to the bundled build and warns about decoding with it', async () => {
    const bundled = await bundledBinaries();
    expect(bundled.ffmpeg.origin).toBe('bundled');
    expect(bundled.ffprobe.origin).toBe('bundled');
    expect(bundled.ffmpeg.version.major).toBe(4);
    expect(decoderSecurityWarning(bundled.ffmpeg)).toMatch(/bundled .*FFMPEG_PATH/);
    expect(describeBinaries(bundled)).toMatch(/ffmpeg .* from bundled/);
    const described = await describeFfmpeg({ env: {} });
    expect(described.ffmpeg).toMatchObject({ path: bundled.ffmpeg.path, source: 'bundled', version: expect.stringMatching(/2018/) });
    expect(described.warnings[0]).toMatch(/security/);
  });

  it('prefers FFMPEG_PATH/FFPROBE_PATH, then the PATH', async () => {
    const bundled = await bundledBinaries();
    const fromEnv = await resolveFfmpegBinaries({ env: { FFMPEG_PATH: bundled.ffmpeg.path, FFPROBE_PATH: bundled.ffprobe.path } });
    expect([fromEnv.ffmpeg.origin, fromEnv.ffprobe.origin]).toEqual(['env', 'env']);
    const bin = join(dir, 'bin');
    await mkdir(bin);
    for (const tool of ['ffmpeg', 'ffprobe'] as const) {
      await writeFile(join(bin, tool), `#!/bin/sh\nexec "${bundled[tool].path}" "$@"\n`);
      await chmod(join(bin, tool), 0o755);
    }
    const fromPath = await resolveFfmpegBinaries({ env: { PATH: bin } });
    expect(fromPath.ffmpeg).toMatchObject({ origin: 'path', path: join(bin, 'ffmpeg') });
  });

  it('names the variable when FFMPEG_PATH points nowhere', async () => {
    await expect(resolveFfmpegBinaries({ env: { FFMPEG_PATH: join(dir, 'missing') } })).rejects.toMatchObject({ code: 'FFMPEG_NOT_FOUND', message: expect.stringMatching(/FFMPEG_PATH/) });
  });

  it('reads a version from every available build; a current one gets no warning', async () => {
    for (const build of await availableFfmpegs()) {
      const found = await resolveFfmpegBinaries({ ffmpegPath: build.ffmpegPath, ffprobePath: build.ffprobePath });
      expect(found.ffmpeg.version.major).toBeGreaterThanOrEqual(4);
      expect(found.ffmpeg.origin).toBe('option');
      if (versionAtLeast(found.ffmpeg.version, 5)) expect(decoderSecurityWarning(found.ffmpeg)).toBeUndefined();
      else expect(decoderSecurityWarning(found.ffmpeg)).toMatch(/old/);
    }
  });
});
