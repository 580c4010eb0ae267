// BullMQ's no-op jobs/s on a given redis-server, measured as bench/queue.sh measures the engine: the jobs are pushed
// first, then a worker of the given concurrency is started and timed until its processor has run the last one.
// Completed jobs are removed, as the engine deletes a job on its ack. Prints one line per concurrency:
//   bullmq concurrency <c>: <jobs/s> jobs/s (<jobs> jobs)
// Usage: node bullmq-bench.mjs <host:port> <jobs at concurrency 32> [concurrency...]
import { Queue, Worker } from 'bullmq';

const [host, port] = (process.argv[2] ?? '127.0.0.1:6379').split(':');
const jobsPerRun = Number(process.argv[3] ?? 50000);
const concurrencies = process.argv.length > 4 ? process.argv.slice(4).map(Number) : [1, 32];
const connection = { host, port: Number(port), maxRetriesPerRequest: null };

for (const concurrency of concurrencies) {
  // The same split as the engine's bench: a fifth of the jobs at concurrency 1.
  const jobs = concurrency === 1 ? Math.floor(jobsPerRun / 5) : jobsPerRun;
  const name = `bench-${concurrency}-${Date.now()}`;
  const queue = new Queue(name, { connection });
  for (let i = 0; i < jobs; i += 1000) {
    const chunk = Array.from({ length: Math.min(1000, jobs - i) }, (_, n) => ({
      name: 'noop',
      data: { n: i + n },
      opts: { removeOnComplete: true, removeOnFail: true },
    }));
    await queue.addBulk(chunk);
  }

  let done = 0;
  let finished;
  const allDone = new Promise((resolve) => { finished = resolve; });
  const started = process.hrtime.bigint();
  const worker = new Worker(name, async () => {
    if (++done === jobs) {
      finished();
    }
  }, { connection, concurrency });
  await allDone;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();
  console.log(`bullmq concurrency ${concurrency}: ${Math.round(jobs / seconds)} jobs/s (${jobs} jobs)`);
}
