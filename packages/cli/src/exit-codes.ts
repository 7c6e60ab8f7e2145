/** Process exit codes, stable for scripts. */
export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  /** 128 + the signal's number, as shells report a process ended by it. */
  hangup: 129,
  interrupted: 130,
  terminated: 143,
} as const;
