import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { UpframeError } from '@upframe/core';
import { runTool } from './child-process.js';
import { resolveFfmpegBinaries } from './ffmpeg-binaries.js';
import { readClusterPart, verifiedClusterPart, type ClusterPartRecord } from './cluster-part-store.js';
import { joinCommand, writeConcatList } from './join-parts.js';
import { journalDir } from './part-journal.js';
import { commitFile, createWorkspace, discardWorkspace } from './temp-workspace.js';
import { diskFullFromToolOutput } from './write-errors.js';

export interface ClusterJoinRequest {
  readonly input: string;
  readonly output: string;
  /** Parts of the job, numbered 0…parts-1. */
  readonly parts: number;
  /** Frames of the whole input: the parts must hold exactly these. */
  readonly frames: number;
  /** sha256 each part reported when it committed, by index; a part whose file differs is refused. */
  readonly sha256?: readonly string[];
  readonly overwrite: boolean;
}

/**
 * Joins a cluster job's committed parts without re-encoding and muxes the input's audio,
 * subtitles, chapters and metadata, with the same command (join-parts.ts) and timeline origin a
 * local chunked run uses; the result is built in a private workspace and renamed into place,
 * then the journal folder goes. Every part is checked first: present, hashed as reported, and the
 * frame ranges contiguous from 0 to `frames`.
 */
export async function joinClusterParts(r: ClusterJoinRequest): Promise<{ output: string; frames: number }> {
  const dir = journalDir(r.output);
  const entries: ClusterPartRecord[] = [];
  let next = 0;
  for (let index = 0; index < r.parts; index++) {
    const recorded = await readClusterPart(r.output, index);
    const entry = recorded && (await verifiedClusterPart(r.output, index, recorded.fingerprint));
    if (!entry) throw new UpframeError('OUTPUT_FAILED', `part ${index + 1} of ${r.parts} is missing or damaged in ${dir}`, { file: dir, hint: 'Submit the same job again: parts that are intact are kept, the others are redone.' });
    const reported = r.sha256?.[index];
    if (reported && reported !== entry.record.sha256) throw new UpframeError('OUTPUT_FAILED', `part ${index + 1} of ${r.parts} in ${dir} changed after it was committed (sha256 ${entry.record.sha256.slice(0, 12)}…, reported ${reported.slice(0, 12)}…)`, { file: dir });
    if (entry.record.firstFrame !== next) throw new UpframeError('OUTPUT_FAILED', `part ${index + 1} of ${r.parts} starts at frame ${entry.record.firstFrame}, expected ${next}`, { file: dir });
    next += entry.record.frames;
    entries.push(entry);
  }
  if (next !== r.frames) throw new UpframeError('OUTPUT_FAILED', `the ${r.parts} parts in ${dir} hold ${next} frames, the input ${r.frames}`, { file: dir });
  const { ffmpeg, ffprobe } = await resolveFfmpegBinaries();
  const first = entries[0];
  const list = join(dir, 'parts.ffconcat');
  await writeConcatList(list, dir, entries.map((e) => e.record), first.origin);
  const workspace = await createWorkspace(r.output);
  try {
    // The input comes from the job (checked against the worker's roots), not from a file in the folder.
    const args = joinCommand({ ...first.join, original: first.join.original === undefined ? undefined : r.input, list, output: workspace.file });
    const result = await runTool(ffmpeg.path, args, { role: 'join' });
    if (result.code !== 0) {
      const diskFull = await diskFullFromToolOutput(result.stderr, workspace.file, 'joining the parts into');
      if (diskFull) throw diskFull;
      throw new UpframeError('FFMPEG_FAILED', `ffmpeg could not join the ${r.parts} parts in ${dir} (exit ${result.code}):\n${result.stderr.trim().split('\n').slice(-15).join('\n')}`, { file: dir });
    }
    // ffmpeg can exit 0 after a failed write: the parts go only once the joined file holds every frame.
    const counted = await runTool(ffprobe.path, ['-v', 'error', '-select_streams', 'v:0', '-count_packets', '-show_entries', 'stream=nb_read_packets', '-of', 'csv=p=0', workspace.file], { role: 'join' });
    const packets = Number(counted.stdout.trim().split(/[\s,]+/)[0]);
    if (counted.code !== 0 || packets !== r.frames) throw new UpframeError('FFMPEG_FAILED', `joining the parts in ${dir} gave ${Number.isFinite(packets) ? packets : 'no readable'} frames, not ${r.frames}`, { file: dir });
    await commitFile(workspace, r.output, { overwrite: r.overwrite });
  } finally {
    await discardWorkspace(workspace);
  }
  await rm(dir, { recursive: true, force: true });
  return { output: r.output, frames: r.frames };
}
