import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A free TCP port on the loopback interface. */
export function freePort(): Promise<number> {
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

export interface TestRedis {
  readonly url: string;
  readonly port: number;
  /** With `tls`: the PEM of the test certificate authority that signed the server's certificate. */
  readonly ca?: string;
  readonly caFile?: string;
  /** Stops the server (SIGTERM, so an append-only file is flushed) and starts it again on the same port and folder. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts Debian's `redis-server` on a free loopback port with its own temp folder (append-only
 * file on, no RDB snapshots), for tests. `.ci/run` installs redis-server; a test that needs it and
 * does not find it fails, it is not skipped.
 */
export async function startTestRedis(options: { password?: string; tls?: boolean } = {}): Promise<TestRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'upframe-redis-'));
  let child: ChildProcess | undefined;
  const tls = options.tls ? testCertificates(dir) : undefined;
  // With TLS the plain port is closed: only TLS connections (no client certificate) are accepted.
  const listen = tls
    ? ['--port', '0', '--tls-port', String(port), '--tls-cert-file', tls.cert, '--tls-key-file', tls.key, '--tls-ca-cert-file', tls.caFile, '--tls-auth-clients', 'no']
    : ['--port', String(port)];
  const args = [...listen, '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', ...(options.password ? ['--requirepass', options.password] : [])];
  const start = () =>
    new Promise<void>((resolve, reject) => {
      const c = spawn(process.env.REDIS_SERVER ?? 'redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
      child = c;
      let out = '';
      const timer = setTimeout(() => reject(new Error(`redis-server did not start within 20 s:\n${out}`)), 20_000);
      c.on('error', (e) => {
        clearTimeout(timer);
        reject(new Error(`cannot start redis-server (${e.message}); install it with: apt-get install redis-server`));
      });
      c.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (/Ready to accept connections/.test(out)) {
          clearTimeout(timer);
          resolve();
        }
      });
      c.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited with ${code}:\n${out}`));
      });
    });
  const halt = async () => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      c.once('exit', () => resolve());
      c.kill('SIGTERM');
    });
  };
  await start();
  const auth = options.password ? `:${encodeURIComponent(options.password)}@` : '';
  return {
    url: `${tls ? 'rediss' : 'redis'}://${auth}127.0.0.1:${port}`,
    port,
    ...(tls ? { ca: tls.ca, caFile: tls.caFile } : {}),
    async restart() {
      await halt();
      await start();
    },
    async stop() {
      await halt();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A throw-away certificate authority and a server certificate for 127.0.0.1 signed by it (openssl). */
function testCertificates(dir: string): { caFile: string; ca: string; cert: string; key: string } {
  const f = (name: string) => join(dir, name);
  const openssl = (args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=upframe test CA', '-keyout', f('ca.key'), '-out', f('ca.pem')]);
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', f('server.key'), '-out', f('server.csr')]);
  writeFileSync(f('san.ext'), 'subjectAltName=IP:127.0.0.1\n');
  openssl(['x509', '-req', '-in', f('server.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial', '-days', '2', '-extfile', f('san.ext'), '-out', f('server.pem')]);
  return { caFile: f('ca.pem'), ca: readFileSync(f('ca.pem'), 'utf8'), cert: f('server.pem'), key: f('server.key') };
}
