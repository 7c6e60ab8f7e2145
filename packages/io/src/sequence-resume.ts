import { isUpframeError, UpframeError, type FormatSelector, type Logger, type SinkOpenInfo } from '@upframe/core';
import { DEFAULT_PART_SECONDS } from './chunked-output.js';
import { SequenceJournal } from './sequence-journal.js';
import { sequenceInputIdentity } from './sequence-input-identity.js';
import { isBoolean, isNumber, isString, optionOf } from './stage-options.js';

type Extra = Readonly<Record<string, unknown>> | undefined;

/**
 * Whether a frame folder is written through a resumable journal. `partSeconds` 0 asks a video for
 * one piece that an interrupted run cannot continue; a folder follows it (a private workspace,
 * committed at the end, nothing kept on a crash). Any other value journals every frame: a folder's
 * "part" is one frame, so the value itself changes nothing and is not compared on a resume.
 */
export function sequenceIsResumable(extra: Extra): boolean {
  return (optionOf(extra, 'partSeconds', 'a number of seconds (0: not resumable)', isNumber) ?? DEFAULT_PART_SECONDS) > 0;
}

/** Everything that changes the bytes of a frame file, compared as text on a resume. */
export function sequenceJournalSettings(extra: Extra, selector: FormatSelector | undefined, output: string): Record<string, string> {
  const text = (value: unknown) => (typeof value === 'object' && value !== null ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)])) : {});
  return {
    // The caller's pixel settings (model, backend, dedupe…) and its format settings (--format, --format-opt).
    ...text(extra?.journalSettings),
    ...text(extra?.formatSettings),
    formatSelector: selector?.name ?? '(none: png)',
    flattenAlpha: optionOf(extra, 'flattenAlpha', 'a colour such as "#ffffff"', isString) ?? '',
    output,
  };
}

export interface OpenedSequenceJournal {
  readonly journal: SequenceJournal;
  /** For the report: frames dropped as damaged, and the resume sentence. */
  readonly notes: string[];
}

/**
 * Opens (or resumes) the journal of a frame-folder output and says what it found, once. Undefined
 * when the input cannot be identified (no file at its path: a stream or a test source), since a
 * journal that cannot tell its input from another must never be resumed.
 */
export async function openSequenceJournal(output: string, info: SinkOpenInfo, extra: Extra, selector: FormatSelector | undefined, logger: Logger): Promise<OpenedSequenceJournal | undefined> {
  const fresh = optionOf(extra, 'fresh', 'true or false', isBoolean) ?? false;
  // A frame folder's identity covers the frames the source reads, not other files beside them.
  const details = info.source.details as { files?: unknown } | undefined;
  const names = info.source.kind === 'sequence' && Array.isArray(details?.files) ? details.files.filter((f): f is string => typeof f === 'string') : undefined;
  const input = await sequenceInputIdentity(info.source.path, names).catch(() => undefined);
  if (!input) {
    logger.debug(`sequence sink: ${info.source.path} cannot be identified, so ${output} is written without a resume journal`);
    return undefined;
  }
  const { journal, dropped } = await SequenceJournal.open(output, input, sequenceJournalSettings(extra, selector, output), fresh);
  const notes: string[] = [];
  for (const d of dropped) {
    logger.warn(`resume: ${d}`);
    notes.push(d);
  }
  const from = journal.committed;
  if (from > 0) {
    const total = info.source.frameCount;
    const message = `resuming at frame ${from.toLocaleString('en-US')}${total ? ` of ${total.toLocaleString('en-US')}` : ''}: ${from} frame(s) already written and verified (${journal.dir})`;
    logger.info(message);
    notes.push(message);
  }
  return { journal, notes };
}

/** A full disk while journaling: the committed frames are kept, so the way on is to free space and rerun. */
export function resumableWriteError(error: unknown, journal: SequenceJournal): unknown {
  if (!isUpframeError(error, 'DISK_FULL') || journal.committed === 0) return error;
  return new UpframeError('DISK_FULL', error.message, {
    file: error.file,
    cause: error,
    hint: `Free space on that disk and run the same command again: the ${journal.committed} committed frame(s) in ${journal.dir} are kept and the run resumes after them.`,
  });
}
