import { describe, expect, it } from 'vitest';
import type { UpframeError } from '@upframe/core';
import { containerOf, encoderSettings, videoEncodeArgs } from './encoder-args.js';
import { encodeCommands } from './encode-command.js';
import { parseFfmpegVersion } from './ffmpeg-version.js';
import { streamMapArgs } from './stream-mapping.js';

const base = { width: 64, height: 48, variableFrameRate: false, legacyFfmpeg: false };
const argAfter = (args: string[], flag: string) => args[args.indexOf(flag) + 1];

describe('encoder defaults and options', () => {
  it('uses x264 crf 18 medium yuv420p for mp4/mov/mkv and VP9 constant quality for webm', () => {
    for (const c of ['mp4', 'mov', 'mkv'] as const) {
      expect(encoderSettings(c, 'rgb24').settings).toMatchObject({ codec: 'libx264', crf: 18, preset: 'medium', pixelFormat: 'yuv420p', audio: true, subtitles: true });
    }
    const webm = encoderSettings('webm', 'rgb24').settings;
    const { args } = videoEncodeArgs({ ...base, settings: webm, container: 'webm' });
    expect(argAfter(args, '-c:v:0')).toBe('libvpx-vp9');
    expect(argAfter(args, '-b:v')).toBe('0');
    expect(args).toContain('-crf');
  });

  it('applies user options, with encoderArgs last so they win', () => {
    const { settings } = encoderSettings('mkv', 'rgb24', { codec: 'libx265', crf: 22, preset: 'slow', pixelFormat: 'yuv444p', encoderArgs: ['-tune', 'grain'], audio: false });
    const { args } = videoEncodeArgs({ ...base, settings, container: 'mkv' });
    expect(args).toEqual(expect.arrayContaining(['-c:v:0', 'libx265', '-crf', '22', '-preset', 'slow', '-pix_fmt:v:0', 'yuv444p']));
    expect(args.slice(-2)).toEqual(['-tune', 'grain']);
    expect(settings.audio).toBe(false);
    expect(() => encoderSettings('mkv', 'rgb24', { encoderArgs: '-tune grain' })).toThrow(/"encoderArgs" must be an array of strings/);
  });

  it('names the allowed containers', () => {
    expect(containerOf('/x/out.MKV')).toBe('mkv');
    expect(() => containerOf('/x/out.avi')).toThrow(/\.mp4, \.mkv, \.webm, \.mov/);
  });

  it('keeps alpha where the container can, refuses mp4 unless told to drop it', () => {
    expect(encoderSettings('webm', 'rgba').settings).toMatchObject({ codec: 'libvpx-vp9', pixelFormat: 'yuva420p' });
    expect(encoderSettings('mov', 'rgba').settings).toMatchObject({ codec: 'prores_ks', pixelFormat: 'yuva444p10le' });
    expect(() => encoderSettings('mp4', 'rgba')).toThrow(/transparency/);
    expect(encoderSettings('mp4', 'rgba', { dropAlpha: true }).notes).toEqual(['alpha dropped as requested (dropAlpha)']);
    // The refusal names the input and CLI flags, never code: where alpha survives, and how to drop it.
    const refusal = (() => {
      try {
        encoderSettings('mp4', 'rgba', {}, { path: '/in/anim.gif', kind: 'animation' });
      } catch (error) {
        return error as UpframeError;
      }
    })();
    expect(refusal).toMatchObject({ code: 'USAGE', file: '/in/anim.gif' });
    expect(refusal?.message).toMatch(/^\/in\/anim\.gif has transparency/);
    expect(refusal?.hint).toMatch(/\.webm.*\.mov.*\.png \(APNG\).*--alpha drop/);
    expect(refusal?.hint).not.toMatch(/dropAlpha|flattenAlpha|:\s*true/);
    // A codec or pixel format the user picked does not silently lose the alpha either.
    expect(() => encoderSettings('mp4', 'rgba', { codec: 'libx264' }, { path: '/in/anim.gif' })).toThrow(/pixel format yuv420p cannot store/);
    expect(() => encoderSettings('mkv', 'rgba', { pixelFormat: 'yuv420p' })).toThrow(/cannot store/);
  });
});

describe('videoEncodeArgs', () => {
  const x264 = encoderSettings('mp4', 'rgb24').settings;

  it('pads odd sizes explicitly for 4:2:0, never crops', () => {
    const { args, notes } = videoEncodeArgs({ ...base, width: 63, height: 47, settings: x264, container: 'mp4' });
    expect(argAfter(args, '-filter:v:0')).toBe('pad=64:48:0:0,format=yuv420p');
    expect(notes[0]).toMatch(/padded 63x47 to 64x48/);
    expect(videoEncodeArgs({ ...base, width: 63, height: 47, settings: x264, container: 'mp4' }).warnings).toEqual([expect.stringMatching(/padded 63x47 to 64x48 .*--pix-fmt yuv444p/)]);
    const yuv444 = videoEncodeArgs({ ...base, width: 63, height: 47, settings: { ...x264, pixelFormat: 'yuv444p' }, container: 'mp4' });
    expect(argAfter(yuv444.args, '-filter:v:0')).toBe('format=yuv444p');
  });

  it('converts with the source matrix and tags the colour description', () => {
    const { args } = videoEncodeArgs({ ...base, settings: x264, container: 'mp4', color: { matrix: 'bt709', primaries: 'bt709', transfer: 'bt709', range: 'tv' } });
    expect(argAfter(args, '-filter:v:0')).toBe('scale=out_color_matrix=bt709:out_range=tv,format=yuv420p');
    expect(args).toEqual(expect.arrayContaining(['-colorspace', 'bt709', '-color_primaries', 'bt709', '-color_trc', 'bt709', '-color_range', 'tv']));
  });

  it('turns B-frames off where they would break timing', () => {
    const bf = (o: Partial<typeof base>, container: 'mp4' | 'mkv') => videoEncodeArgs({ ...base, ...o, settings: x264, container }).args.includes('-bf');
    expect(bf({ variableFrameRate: true }, 'mp4')).toBe(true);
    expect(bf({ variableFrameRate: true }, 'mkv')).toBe(false);
    expect(bf({ legacyFfmpeg: true }, 'mkv')).toBe(true);
    expect(bf({}, 'mp4')).toBe(false);
  });
});

describe('streamMapArgs', () => {
  const audio = [{ index: 1, codec: 'aac' }, { index: 2, codec: 'flac', language: 'deu' }];
  const subtitles = [{ index: 3, codec: 'subrip' }, { index: 4, codec: 'hdmv_pgs_subtitle' }];

  it('copies what mp4 holds, transcodes the rest, converts text subtitles and drops bitmap ones with a note', () => {
    const { args, notes } = streamMapArgs('mp4', { audio, subtitles }, { audio: true, subtitles: true });
    expect(args).toEqual(['-map', '1:1', '-c:a:0', 'copy', '-map', '1:2', '-c:a:1', 'aac', '-b:a:1', '192k', '-map', '1:3', '-c:s:0', 'mov_text']);
    expect(notes.join('\n')).toMatch(/#2 flac \(deu\) re-encoded to aac/);
    expect(notes.join('\n')).toMatch(/#4 hdmv_pgs_subtitle dropped/);
  });

  it('copies everything into mkv and leaves streams out when asked', () => {
    expect(streamMapArgs('mkv', { audio, subtitles }, { audio: true, subtitles: true }).args.filter((a) => a === 'copy')).toHaveLength(4);
    const none = streamMapArgs('mkv', { audio, subtitles }, { audio: false, subtitles: false });
    expect(none.args).toEqual([]);
    expect(none.notes).toHaveLength(2);
    expect(none.warnings).toEqual([]);
  });

  it('keeps cover art in mp4 as attached_pic, attachments in mkv, and warns for what a container cannot hold', () => {
    const extra = { audio: [], subtitles: [], pictures: [{ index: 5, codec: 'mjpeg' }], attachments: [{ index: 6, codec: 'ttf', title: 'font' }], dataStreams: [{ index: 7, codec: 'bin_data' }] };
    const mp4 = streamMapArgs('mp4', extra, { audio: true, subtitles: true });
    expect(mp4.args).toEqual(['-map', '1:5', '-c:v:1', 'copy', '-disposition:v:1', 'attached_pic']);
    expect(mp4.warnings).toEqual([expect.stringMatching(/attachment #6 ttf "font" dropped.*\.mkv/), expect.stringMatching(/data stream #7 bin_data dropped/)]);
    const mkv = streamMapArgs('mkv', extra, { audio: true, subtitles: true });
    expect(mkv.args).toEqual(['-map', '1:6', '-c:t', 'copy']);
    expect(mkv.warnings[0]).toMatch(/cover art #5 mjpeg dropped.*\.mp4/);
    expect(mkv.notes).toEqual(expect.arrayContaining(mkv.warnings));
  });
});

describe('encodeCommands', () => {
  const common = { container: 'mp4' as const, output: '/o/.x.upframe-tmp-1.mp4', timeBase: { num: 1, den: 15360 }, videoOffsetSeconds: 0, original: '/i/x.mp4', videoArgs: ['-c:v', 'libx264'], streamArgs: ['-map', '1:1', '-c:a:0', 'copy'], videoTags: {}, writeColour: false };

  it('uses one process with -fps_mode on current ffmpeg', () => {
    const v = parseFfmpegVersion('ffmpeg version 6.1.1\nlibavutil      58. 29.100\n')!;
    const [only, ...rest] = encodeCommands({ ...common, version: v });
    expect(rest).toEqual([]);
    expect(only).toEqual(expect.arrayContaining(['-f', 'nut', '-i', 'pipe:0', '-i', '/i/x.mp4', '-fps_mode', 'passthrough', '-enc_time_base:v', '1:15360', '-map_metadata', '1']));
    expect(only.at(-1)).toBe(common.output);
  });

  it('encodes into a Matroska pipe and remuxes on ffmpeg 4', () => {
    const v = parseFfmpegVersion('ffmpeg version 4.4.2\nlibavutil      56. 70.100\n')!;
    const [encode, remux] = encodeCommands({ ...common, version: v, videoOffsetSeconds: 0.5 });
    expect(encode).toEqual(expect.arrayContaining(['-vsync', 'passthrough', '-f', 'matroska', 'pipe:1']));
    expect(remux).toEqual(expect.arrayContaining(['-itsoffset', '0.500000', '-c:v', 'copy', '-map', '1:1']));
  });
});
