// One worker process for the queue tests: `node worker-process.mjs`, configured by env
// (REDIS_URL, ROOT, NAME, LOCK_MS, FRAME_MS, FAIL_FRAME). Prints one line per event.
import 'reflect-metadata';
import { redisConnection, startWorker } from '../../dist/index.js';
import { linesRunner } from './lines-runner.mjs';

const worker = startWorker({
  connection: redisConnection(process.env.REDIS_URL),
  runner: linesRunner({ log: (m) => console.log(m) }),
  roots: process.env.ROOT.split(','),
  name: process.env.NAME,
  lockMs: Number(process.env.LOCK_MS ?? 3000),
  onEvent: (m) => console.log(m),
});
console.log(`ready ${worker.name}`);
process.on('SIGTERM', async () => {
  await worker.close();
  process.exit(0);
});
