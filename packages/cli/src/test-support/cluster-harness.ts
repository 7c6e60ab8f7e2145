import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, cacheDir, REPO } from './cli-harness.js';
import { writeNearestPlugin } from './nearest-plugin.js';

// Cluster end-to-end tests: Debian's redis-server on a free loopback port in a temp folder (as
// @upframe/cluster's own tests start it; `.ci/run` installs it, a missing one fails the test), and
// real `upframe worker` processes of the built CLI.

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Waits for `ready` in a child's output; rejects with the output if it exits first. */
function started(child: ChildProcess, what: string, ready: RegExp, output: () => string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not start within 30 s:\n${output()}`)), 30_000);
    const check = () => {
      if (ready.test(output())) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', check);
    child.stderr?.on('data', check);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`cannot start ${what} (${e.message})`));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited with ${code}:\n${output()}`));
    });
  });
}

export interface TestRedis {
  readonly url: string;
  /** SIGTERM (the append-only file is flushed), then the same server again on the same port and folder. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startTestRedis(password = 'test-pass'): Promise<TestRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'upframe-redis-'));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--requirepass', password];
  let child: ChildProcess;
  const launch = async () => {
    child = spawn(process.env.REDIS_SERVER ?? 'redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    await started(child, 'redis-server (apt-get install redis-server)', /Ready to accept connections/, () => out);
  };
  const halt = async () => {
    if (child.exitCode === null && child.signalCode === null) await new Promise<void>((done) => (child.once('exit', () => done()), child.kill('SIGTERM')));
  };
  await launch();
  return {
    url: `redis://:${password}@127.0.0.1:${port}`,
    async restart() {
      await halt();
      await launch();
    },
    async stop() {
      await halt();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface WorkerProcess {
  readonly name: string;
  readonly child: ChildProcess;
  output(): string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** `upframe worker …` of the built CLI, resolved once it says it is ready. */
export async function startWorker(name: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [BIN, 'worker', '--name', name, ...args], { cwd: REPO, env: { ...process.env, UPFRAME_CACHE_DIR: cacheDir, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  await started(child, `worker ${name}`, /ready /, () => out);
  return {
    name,
    child,
    output: () => out,
    kill: (signal = 'SIGTERM') =>
      new Promise<void>((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', () => done());
        child.kill(signal);
      }),
  };
}

/** The `nearest` test backend (nearest-plugin.ts): SLOW_MS to kill a worker mid-part, FAIL_DARK=1 for a part that always fails. */
export function writeClusterPlugin(dir: string): string {
  return writeNearestPlugin(dir);
}
