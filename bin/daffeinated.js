#!/usr/bin/env node
let VERSION;
try {
  ({ VERSION } = await import('../dist/bundle/version.js'));
} catch (error) {
  // Only a clone of the repository can lack dist/ (the package ships it): say how to build it.
  if (error?.code !== 'ERR_MODULE_NOT_FOUND') throw error;
  process.stderr.write(`error: daffeinated is not built (no ${new URL('../dist/bundle/', import.meta.url).pathname})\n  hint: run \`npm run build\` in the repository first\n`);
  process.exit(1);
}

const argv = process.argv.slice(2);
// `--version` alone prints what the full CLI prints for it (src/cli.ts), without loading commander
// and the command tree: scripts and shell prompts call it often.
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  process.stdout.write(`${VERSION}\n`);
} else {
  // The CLI as one bundle split by command (scripts/bundle-cli.mjs): a command loads a few files,
  // not the hundreds of modules of dist/'s tree and the packages.
  const { main } = await import('../dist/bundle/cli.js');
  await main(argv);
}
