export function resolveFfmpeg(env?: NodeJS.ProcessEnv): string;
export function runFfmpeg(args: readonly string[], ffmpeg?: string): Promise<{ stdout: Buffer; stderr: string }>;
