import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A small tmpfs: a real filesystem that can be filled up or made read-only. */
export interface SmallFilesystem {
  readonly dir: string;
  /** Write incompressible bytes until the filesystem refuses (ENOSPC); returns that error. */
  fill(): Promise<NodeJS.ErrnoException>;
  readOnly(): void;
  unmount(): Promise<void>;
}

/**
 * Mount a tmpfs of `sizeKiB` at a new folder under `parent`, or undefined where mounting is not
 * permitted (not root, no CAP_SYS_ADMIN): callers then fall back to injected errors.
 */
export async function mountSmallFilesystem(parent: string, name: string, sizeKiB = 1024): Promise<SmallFilesystem | undefined> {
  const dir = join(parent, name);
  await mkdir(dir, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKiB}k`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch {
    await rmdir(dir).catch(() => {});
    return undefined;
  }
  let mounted = true;
  return {
    dir,
    async fill() {
      try {
        // More than the whole filesystem, so the write has to fail.
        await writeFile(join(dir, 'filler.bin'), randomBytes(sizeKiB * 1024 + 64 * 1024));
      } catch (error) {
        return error as NodeJS.ErrnoException;
      }
      throw new Error(`${dir} did not fill up`);
    },
    readOnly() {
      execFileSync('mount', ['-o', 'remount,ro', dir], { stdio: 'pipe' });
    },
    async unmount() {
      if (!mounted) return;
      // Lazy unmount: a child that still has a file open there must not leave the mount behind.
      execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
      mounted = false;
      await rmdir(dir).catch(() => {});
    },
  };
}
