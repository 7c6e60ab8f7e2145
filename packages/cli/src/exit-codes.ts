/** Process exit codes, stable for scripts. */
export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  /** 128 + SIGINT, as shells report Ctrl-C. */
  interrupted: 130,
} as const;
