import { UpframeError, type RunReport } from '@upframe/core';
import { writeFileAtomic } from '@upframe/core/internal';

/** Write the run report as JSON through a temporary file, so a reader never sees half of it. */
export async function writeReport(file: string, report: RunReport): Promise<void> {
  try {
    await writeFileAtomic(file, JSON.stringify(report, null, 2) + '\n');
  } catch (error) {
    throw new UpframeError('OUTPUT_FAILED', `cannot write report ${file}: ${(error as Error).message}`, { file, cause: error });
  }
}
