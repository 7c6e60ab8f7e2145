import { renameSync, writeFileSync } from 'node:fs';
import { UpframeError, type RunReport } from '@upframe/core';

/** Write the run report as JSON through a temporary file, so a reader never sees half of it. */
export function writeReport(file: string, report: RunReport): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, JSON.stringify(report, null, 2) + '\n');
    renameSync(tmp, file);
  } catch (error) {
    throw new UpframeError('OUTPUT_FAILED', `cannot write report ${file}: ${(error as Error).message}`, { file, cause: error });
  }
}
