/** Examples shown at the end of each command's `--help`. */
const EXAMPLES: Readonly<Record<string, readonly string[]>> = {
  validate: ['daffeinated validate', 'daffeinated validate --config config/app.yaml'],
  plan: [
    'daffeinated plan                      # every environment',
    'daffeinated plan staging --sandbox    # against a local sandbox, no account needed',
    'daffeinated plan --all --format json | jq .summary',
    'daffeinated plan production --out plan.json   # then: daffeinated apply plan.json',
  ],
  apply: [
    'daffeinated apply staging',
    'daffeinated apply --all --yes         # in CI',
    'daffeinated apply plan.json --yes     # a plan saved with `plan --out`',
    'daffeinated apply production --allow-destroy "heroku.addon[production/cache]"',
    'daffeinated apply production --allow-over-budget',
  ],
  deploy: [
    'daffeinated deploy staging',
    'daffeinated deploy staging --sandbox --yes   # build and run git HEAD locally',
    'daffeinated deploy staging --yes --format json | jq .release.version',
  ],
  promote: [
    'daffeinated promote --dry-run         # the checks, and what would be promoted',
    'daffeinated promote --yes',
    'daffeinated promote --from staging --to production --apply',
    'daffeinated promote --dry-run --format json > promotion.json   # then: promote --plan promotion.json',
    "daffeinated promote --yes --format json | jq '.targets[] | {app, outcome}'",
  ],
  drift: ['daffeinated drift --all', 'daffeinated drift production --strict --report drift.md'],
  status: [
    'daffeinated status                    # every environment, in pipeline order',
    'daffeinated status production --format markdown',
  ],
  releases: ['daffeinated releases production', 'daffeinated releases staging --limit 30 --format json'],
  backups: ['daffeinated backups production', 'daffeinated backups staging --capture', 'daffeinated backups production --format json'],
  rollback: [
    'daffeinated rollback production        # to the previous good release',
    'daffeinated rollback staging --to v41 --yes',
    'daffeinated rollback production --yes --format json | jq .outcome',
  ],
  'dr-drill': [
    'daffeinated dr-drill production                  # shows the cost, asks, then drills',
    'daffeinated dr-drill production --capture --yes --format markdown > drill.md   # in CI',
  ],
  cost: ['daffeinated cost', 'daffeinated cost production --format json | jq .totalCents'],
  diff: ['daffeinated diff production staging', 'daffeinated diff production staging --format json'],
  import: [
    'daffeinated import --app my-app-production > app.yaml',
    'daffeinated import --app my-app-production --zone example.com',
    'daffeinated import --zone example.com  # the cloudflare: section alone',
  ],
  init: [
    'daffeinated init                      # a commented template for a new app',
    'daffeinated init --from-app my-app-production --zone example.com',
    'daffeinated init --workflow           # adds the nightly drift workflow (keeps app.yaml)',
  ],
  completion: [
    'source <(daffeinated completion bash)   # in ~/.bashrc',
    'source <(daffeinated completion zsh)    # in ~/.zshrc, after compinit',
    'daffeinated completion fish > ~/.config/fish/completions/daffeinated.fish',
  ],
  sandbox: ['daffeinated sandbox --port 4010 --zone example.com:pro --processes', 'daffeinated plan --sandbox http://127.0.0.1:4010'],
};

/** The examples that end `COMMAND --help`, or undefined for a command without any. */
export function examplesText(command: string): string | undefined {
  const examples = EXAMPLES[command];
  return examples === undefined ? undefined : `\nExamples:\n${examples.map((e) => `  ${e}`).join('\n')}\n`;
}
