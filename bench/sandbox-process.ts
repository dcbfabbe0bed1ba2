/**
 * The sandbox the benchmark talks to, in its own process: its CPU time (answering thousands of
 * requests, listing 5,000 records) must not count as daffeinated's, and on a 2-core machine the
 * two then really run side by side. Started by bench/sandbox.ts with the options as JSON in argv;
 * prints `{"url": …}` on one stdout line, and exits when its parent closes stdin.
 */
import { type SandboxOptions, startSandbox } from '../src/sandbox/index.js';

const options = JSON.parse(process.argv[2] ?? '{}') as SandboxOptions;
const sandbox = await startSandbox({ ...options, port: 0 });
process.stdout.write(`${JSON.stringify({ url: sandbox.url })}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  void sandbox.close().then(() => process.exit(0));
});
