import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ffmpeg, listDir, tempDir, upframe } from './test-support/cli-harness.js';

const shared = tempDir();
const long = join(shared, 'long.mp4');

beforeAll(async () => {
  await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=128x96:rate=24:duration=6', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', long]);
});

/** Send `signals` (one after another) once the run has written its first frame: the sink's workspace exists then. */
function afterFirstFrame(signals: NodeJS.Signals[]) {
  return (child: ChildProcess) => {
    let sent = false;
    child.stdout?.on('data', (d: Buffer) => {
      if (sent || !String(d).includes('"event":"progress"')) return;
      sent = true;
      for (const s of signals) child.kill(s);
    });
  };
}

describe('[safety] signals and leftovers', () => {
  it.each([
    ['SIGHUP', 129],
    ['SIGTERM', 143],
  ] as const)('%s stops the run cleanly with exit %i and leaves nothing behind', async (signal, code) => {
    const work = tempDir();
    const r = await upframe(['upscale', long, '-o', join(work, 'out.mp4'), '--dedupe', 'off', '--json'], { onSpawn: afterFirstFrame([signal]) });
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(new RegExp(`stopping on ${signal}`));
    expect(listDir(work)).toEqual([]);
  });

  it('a second Ctrl-C forces the exit and still removes the temporary output', async () => {
    const work = tempDir();
    const r = await upframe(['upscale', long, '-o', join(work, 'out.mp4'), '--dedupe', 'off', '--json'], { onSpawn: afterFirstFrame(['SIGINT', 'SIGINT']) });
    expect(r.code).toBe(130);
    expect(listDir(work)).toEqual([]);
  });

  it('after SIGKILL the next run to the same folder removes the dead run\'s workspace and says so', async () => {
    const work = tempDir();
    const killed = await upframe(['upscale', long, '-o', join(work, 'out.mp4'), '--dedupe', 'off', '--json'], { onSpawn: afterFirstFrame(['SIGKILL']) });
    expect(killed.signal).toBe('SIGKILL');
    // The workspace, and the resume journal of out.mp4 (cli-resume.e2e.test.ts resumes from it).
    const leftovers = listDir(work);
    expect(leftovers).toEqual([expect.stringMatching(/^\.upframe-tmp-/), 'out.mp4.upframe']);
    const next = await upframe(['upscale', long, '-o', join(work, 'other.mp4'), '--dedupe', 'off']);
    expect(next.code).toBe(0);
    expect(next.stderr).toContain(`removed ${join(work, leftovers[0])}, the unfinished output of an earlier run that was killed`);
    expect(listDir(work)).toEqual(['other.mp4', 'out.mp4.upframe']);
  });
});

describe('[safety] config, limits and plugins', () => {
  it('says which config file it loads, and --no-config skips it (and the code it names)', async () => {
    const cwd = tempDir();
    const marker = join(cwd, 'config-ran');
    writeFileSync(join(cwd, 'upframe.config.mjs'), `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, 'yes');\nexport default { defaults: {} };\n`);
    const loaded = await upframe(['models', '--json'], { cwd });
    expect(loaded.code).toBe(0);
    expect(loaded.stderr).toBe(`upframe: using config ${join(cwd, 'upframe.config.mjs')} (--no-config to skip it)\n`);
    expect(existsSync(marker)).toBe(true);
    const skipped = tempDir();
    writeFileSync(join(skipped, 'upframe.config.mjs'), `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(join(skipped, 'config-ran'))}, 'yes');\nexport default {};\n`);
    const r = await upframe(['models', '--json', '--no-config'], { cwd: skipped });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(existsSync(join(skipped, 'config-ran'))).toBe(false);
  });

  it('--threads beyond 4 × cores is a usage error', async () => {
    const r = await upframe(['upscale', long, '-o', join(tempDir(), 'o.mp4'), '--threads', '10000']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--threads must be at most \d+ \(4 × the \d+ cores here\), got 10000/);
  });

  it.each([[[]], [['--json']]])('a plugin whose register() never settles fails with exit 1 and says where (%j)', async (extra) => {
    const dir = tempDir();
    mkdirSync(join(dir, 'p'));
    const plugin = join(dir, 'p', 'stuck.mjs');
    writeFileSync(plugin, "export default { name: 'stuck', register: () => new Promise(() => {}) };\n");
    const r = await upframe(['upscale', long, '-o', join(dir, 'o.mp4'), '--plugin', plugin, ...extra]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/stopped without finishing while loading plugin ".*stuck\.mjs"/);
    expect(listDir(dir)).toEqual(['p']);
  });
});
