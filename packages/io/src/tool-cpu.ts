import { readFileSync } from 'node:fs';

/**
 * What a tool process was started for, so its CPU time can be reported per pipeline stage: `setup`
 * (probes and checks before the first frame), `decode`, `encode` (the encoder of the output or of
 * each resumable part), `join` (joining the parts into the output and counting its frames).
 */
export const TOOL_ROLES = ['setup', 'decode', 'encode', 'join', 'other'] as const;
export type ToolRole = (typeof TOOL_ROLES)[number];

/** CPU seconds (user + system) per role, for tool processes that have exited. */
export type ToolCpuSeconds = Record<ToolRole, number>;

// clock ticks per second of /proc's times; 100 on every Linux build Node supports (USER_HZ).
const TICKS_PER_SECOND = 100;
const totals: ToolCpuSeconds = { setup: 0, decode: 0, encode: 0, join: 0, other: 0 };

/**
 * CPU seconds of all children this process has waited for (`cutime + cstime` in /proc/self/stat),
 * or undefined where /proc is not available. Node reaps a child just before its 'exit' event, so
 * the growth of this number between two exits is the CPU the exiting child used: a child's own
 * rusage, without wrapping the tool or parsing its output.
 */
export function childrenCpuSeconds(readStat: () => string = () => readFileSync('/proc/self/stat', 'utf8')): number | undefined {
  try {
    // Fields after the command name, which is in parentheses and may itself contain spaces.
    const stat = readStat();
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cutime = Number(fields[13]);
    const cstime = Number(fields[14]);
    return Number.isFinite(cutime) && Number.isFinite(cstime) ? (cutime + cstime) / TICKS_PER_SECOND : undefined;
  } catch {
    return undefined;
  }
}

/** Credits the CPU used since the last mark to `role`; called when a tool process has exited. */
export function recordToolExit(role: ToolRole): void {
  const now = childrenCpuSeconds();
  if (now === undefined) return;
  totals[role] += Math.max(0, now - (lastChildrenSeconds ?? 0));
  lastChildrenSeconds = now;
}

// The base the first exit is measured from: children reaped before this module loaded are not ours.
let lastChildrenSeconds = childrenCpuSeconds();

/** CPU seconds per role of the tools that have exited so far in this process. */
export function toolCpuSeconds(): ToolCpuSeconds {
  return { ...totals };
}
