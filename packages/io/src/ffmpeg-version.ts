/** A parsed `ffmpeg -version` / `ffprobe -version` banner. */
export interface FfmpegVersion {
  /** The version token as printed (`5.1.6-0+deb12u1`, `n7.0.2`, `N-47683-g0e8eb07980-static`). */
  readonly raw: string;
  /** Release the build corresponds to; derived from libavutil when the banner is a git snapshot. */
  readonly major: number;
  readonly minor: number;
  /** libavutil version, the most reliable marker for snapshot builds. */
  readonly libavutil?: { readonly major: number; readonly minor: number };
  /** Year in the copyright line, when printed. */
  readonly year?: number;
}

/**
 * libavutil major → release, with the minor version at which each release's `.1` began.
 * Static builds print git hashes (`N-47683-g…`) instead of versions, so this is how they are dated.
 */
const LIBAVUTIL_RELEASES: readonly { lavu: number; release: number; dotOneAt?: number }[] = [
  { lavu: 55, release: 3 },
  { lavu: 56, release: 4 },
  { lavu: 57, release: 5, dotOneAt: 28 },
  { lavu: 58, release: 6, dotOneAt: 29 },
  { lavu: 59, release: 7, dotOneAt: 39 },
  { lavu: 60, release: 8 },
];

export function parseFfmpegVersion(banner: string): FfmpegVersion | undefined {
  const first = /^(?:ffmpeg|ffprobe) version (\S+)/m.exec(banner);
  if (!first) return undefined;
  const raw = first[1];
  const lavuMatch = /^libavutil\s+(\d+)\.\s*(\d+)/m.exec(banner);
  const libavutil = lavuMatch ? { major: Number(lavuMatch[1]), minor: Number(lavuMatch[2]) } : undefined;
  const yearMatch = /Copyright \(c\) \d{4}-(\d{4})/.exec(banner);
  const year = yearMatch ? Number(yearMatch[1]) : undefined;

  const release = /^n?(\d+)\.(\d+)/.exec(raw);
  if (release) return { raw, major: Number(release[1]), minor: Number(release[2]), libavutil, year };

  const known = libavutil && LIBAVUTIL_RELEASES.find((r) => r.lavu === libavutil.major);
  if (libavutil && known) {
    const minor = known.dotOneAt !== undefined && libavutil.minor >= known.dotOneAt ? 1 : 0;
    return { raw, major: known.release, minor, libavutil, year };
  }
  if (libavutil && libavutil.major > 60) return { raw, major: libavutil.major - 52, minor: 0, libavutil, year };
  return { raw, major: 0, minor: 0, libavutil, year };
}

export function versionAtLeast(version: FfmpegVersion, major: number, minor = 0): boolean {
  return version.major > major || (version.major === major && version.minor >= minor);
}

/** `-fps_mode` replaced `-vsync` in 5.1; older builds reject it, newer ones warn about `-vsync`. */
export function passthroughTimingArgs(version: FfmpegVersion): string[] {
  return versionAtLeast(version, 5, 1) ? ['-fps_mode', 'passthrough'] : ['-vsync', 'passthrough'];
}

/**
 * Before 5.0 the ffmpeg CLI gives encoded video packets no duration when frames are passed through
 * untouched, so the last frame lasts zero time: MP4/MOV players never show it and Matroska ends a
 * frame early. Such builds encode into a Matroska pipe and remux it, which lets the demuxer supply
 * the durations.
 */
export function needsRemuxStage(version: FfmpegVersion): boolean {
  return !versionAtLeast(version, 5, 0);
}

export function describeVersion(version: FfmpegVersion): string {
  const release = version.major > 0 ? `${version.major}.x` : 'unknown release';
  return version.raw.startsWith(`${version.major}.`) || version.raw.startsWith(`n${version.major}.`)
    ? version.raw
    : `${version.raw} (≈ ${release}${version.year ? `, ${version.year}` : ''})`;
}
