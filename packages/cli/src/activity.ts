/**
 * What the CLI is doing right now, in words, so that a command that ends without finishing (a
 * plugin whose promise never settles) can say where it stopped.
 */
let activity = 'starting';

export function setActivity(what: string): void {
  activity = what;
}

export function currentActivity(): string {
  return activity;
}
