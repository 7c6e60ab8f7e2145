import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commitDirectory, commitFile, createWorkspace, discardLiveWorkspacesSync, sweepStaleWorkspaces } from './temp-workspace.js';

const dir = () => mkdtempSync(join(tmpdir(), 'upframe-ws-'));
/** A pid that surely belonged to a process that has exited. */
const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid!;
const host = hostname().replace(/[^A-Za-z0-9]/g, '').slice(0, 24) || 'host';

describe('temporary workspaces', () => {
  it('are private folders with unguessable names beside the output', async () => {
    const d = dir();
    const a = await createWorkspace(join(d, 'out.mp4'));
    const b = await createWorkspace(join(d, 'out.mp4'));
    expect(a.dir).not.toBe(b.dir);
    expect(basename(a.dir)).toMatch(new RegExp(`^\\.upframe-tmp-${host}-${process.pid}-[A-Za-z0-9]{6}$`));
    expect(statSync(a.dir).mode & 0o777).toBe(0o700);
    expect(a.file).toBe(join(a.dir, 'out.mp4'));
  });

  it('commit without overwrite never replaces a file that appeared meanwhile, and keeps nothing of its own', async () => {
    const d = dir();
    const out = join(d, 'out.png');
    const ws = await createWorkspace(out);
    writeFileSync(ws.file, 'ours');
    writeFileSync(out, 'theirs');
    await expect(commitFile(ws, out, { overwrite: false })).rejects.toMatchObject({ code: 'OUTPUT_EXISTS', message: expect.stringMatching(/appeared while upframe was running/) });
    expect(readFileSync(out, 'utf8')).toBe('theirs');
    expect(readdirSync(d)).toEqual(['out.png']);
  });

  it('commit without overwrite does not follow a link planted at the output path', async () => {
    const d = dir();
    const victim = join(d, 'victim.txt');
    writeFileSync(victim, 'precious');
    const out = join(d, 'out.png');
    symlinkSync(victim, out);
    const ws = await createWorkspace(out);
    writeFileSync(ws.file, 'ours');
    await expect(commitFile(ws, out, { overwrite: false })).rejects.toMatchObject({ code: 'OUTPUT_EXISTS' });
    expect(readFileSync(victim, 'utf8')).toBe('precious');
  });

  it('commit with overwrite replaces the old file and says so', async () => {
    const d = dir();
    const out = join(d, 'out.png');
    writeFileSync(out, 'old');
    const ws = await createWorkspace(out);
    writeFileSync(ws.file, 'new');
    expect(await commitFile(ws, out, { overwrite: true })).toEqual({ replaced: true });
    expect(readFileSync(out, 'utf8')).toBe('new');
    expect(readdirSync(d)).toEqual(['out.png']);
  });

  it('a new output folder appears whole, with ordinary permissions', async () => {
    const d = dir();
    const out = join(d, 'frames');
    const ws = await createWorkspace(out);
    writeFileSync(join(ws.dir, '1.png'), 'a');
    expect(await commitDirectory(ws, out, { overwrite: false })).toEqual({ replaced: 0 });
    expect(readdirSync(out)).toEqual(['1.png']);
    expect(statSync(out).mode & 0o777).toBe(0o777 & ~process.umask());
    expect(readdirSync(d)).toEqual(['frames']);
  });

  it('into an existing folder, overwrite replaces only same-named files and deletes nothing', async () => {
    const d = dir();
    const out = join(d, 'frames');
    mkdirSync(out);
    writeFileSync(join(out, '1.png'), 'old');
    writeFileSync(join(out, '9.png'), 'older run');
    writeFileSync(join(out, 'notes.txt'), 'mine');
    const ws = await createWorkspace(out);
    writeFileSync(join(ws.dir, '1.png'), 'new');
    writeFileSync(join(ws.dir, '2.png'), 'new');
    expect(await commitDirectory(ws, out, { overwrite: true })).toEqual({ replaced: 1 });
    expect(readdirSync(out).sort()).toEqual(['1.png', '2.png', '9.png', 'notes.txt']);
    expect(readFileSync(join(out, '1.png'), 'utf8')).toBe('new');
    expect(readFileSync(join(out, 'notes.txt'), 'utf8')).toBe('mine');
  });

  it('a folder that appeared during the run is not written into without overwrite', async () => {
    const d = dir();
    const out = join(d, 'frames');
    const ws = await createWorkspace(out);
    writeFileSync(join(ws.dir, '1.png'), 'ours');
    mkdirSync(out);
    writeFileSync(join(out, 'x.txt'), 'theirs');
    await expect(commitDirectory(ws, out, { overwrite: false })).rejects.toMatchObject({ code: 'OUTPUT_EXISTS' });
    expect(readdirSync(out)).toEqual(['x.txt']);
    expect(readdirSync(d)).toEqual(['frames']);
  });

  it('sweeps the workspaces of dead runs of this host, and keeps live ones and foreign names', async () => {
    const d = dir();
    const out = join(d, 'out.mp4');
    const live = await createWorkspace(out);
    const dead = join(d, `.upframe-tmp-${host}-${deadPid()}-AbC123`);
    const otherHost = join(d, `.upframe-tmp-elsewhere-${deadPid()}-AbC123`);
    for (const p of [dead, otherHost]) {
      mkdirSync(p);
      writeFileSync(join(p, 'out.mp4'), 'partial');
    }
    expect(await sweepStaleWorkspaces(out)).toEqual([dead]);
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(live.dir)).toBe(true);
    expect(existsSync(otherHost)).toBe(true);
  });

  it('a forced exit can remove every live workspace synchronously', async () => {
    const d = dir();
    const ws = await createWorkspace(join(d, 'a.mp4'));
    writeFileSync(ws.file, 'partial');
    expect(discardLiveWorkspacesSync()).toBeGreaterThanOrEqual(1);
    expect(readdirSync(d)).toEqual([]);
  });
});
