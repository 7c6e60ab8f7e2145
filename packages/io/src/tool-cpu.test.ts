import { describe, expect, it } from 'vitest';
import { startTool } from './child-process.js';
import { childrenCpuSeconds, toolCpuSeconds } from './tool-cpu.js';

describe('tool CPU accounting', () => {
  it('reads cutime + cstime after a command name with spaces and parentheses', () => {
    // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime …
    const stat = '4242 (node (x) y) S 1 2 3 4 5 6 7 8 9 10 11 12 250 50 0 0';
    expect(childrenCpuSeconds(() => stat)).toBe(3);
  });

  it('gives undefined where /proc cannot be read', () => {
    expect(childrenCpuSeconds(() => { throw new Error('ENOENT'); })).toBeUndefined();
  });

  it("credits an exited tool's own CPU time to its role", async () => {
    const before = toolCpuSeconds();
    // Burns 0.4 s of its own CPU (not wall time), so the amount does not depend on machine load.
    const tool = startTool(process.execPath, ['-e', 'while (process.cpuUsage().user < 400000);'], {}, 'encode');
    expect((await tool.exited).code).toBe(0);
    const after = toolCpuSeconds();
    expect(after.encode - before.encode).toBeGreaterThanOrEqual(0.35);
    expect(after.decode).toBe(before.decode);
  });
});
