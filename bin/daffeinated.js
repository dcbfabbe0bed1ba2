#!/usr/bin/env node
import { VERSION } from '../dist/version.js';

const argv = process.argv.slice(2);
// `--version` alone prints what the full CLI prints for it (src/cli.ts), without loading commander
// and the command tree: scripts and shell prompts call it often.
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  process.stdout.write(`${VERSION}\n`);
} else {
  const { main } = await import('../dist/cli.js');
  await main(argv);
}
