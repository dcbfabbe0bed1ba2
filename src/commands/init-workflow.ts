/** Where `daffeinated init --workflow` writes the nightly drift check, relative to the repository. */
export const DRIFT_WORKFLOW_FILE = '.github/workflows/daffeinated-drift.yml';

/**
 * The actions the workflow uses, pinned to commits (a tag can be moved; a commit cannot), with the
 * release each commit is, as the repository's own `.github/workflows/drift.yml` pins them.
 */
const CHECKOUT = 'actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1';
const SETUP_NODE = 'actions/setup-node@820762786026740c76f36085b0efc47a31fe5020 # v7.0.0';
const UPLOAD_ARTIFACT = 'actions/upload-artifact@bbbca2ddaa5d8feaa63e36b76fdaad77386f024f # v7.0.0';

/**
 * The nightly drift workflow for a user's repository: installs the repository's own pinned
 * daffeinated (`npm ci`), runs `drift`, keeps the reports, and keeps one issue labelled `drift`
 * through the package's `scripts/drift-issue.mjs` (opened or its body replaced on drift, a comment
 * only when the drift changed, closed when clean, untouched when the check could not run).
 * `secrets` are the variables app.yaml reads from the environment (besides the two API tokens),
 * passed from repository secrets of the same names. `config` is the app.yaml path given to
 * `--config`, when not the default. Pure.
 */
export function driftWorkflow(secrets: readonly string[], config: string | undefined): string {
  const env = ['HEROKU_API_KEY', 'CLOUDFLARE_API_TOKEN', ...secrets.filter((s) => s !== 'HEROKU_API_KEY' && s !== 'CLOUDFLARE_API_TOKEN')];
  const configFlag = config === undefined ? '' : ` --config ${config}`;
  return `# Nightly check that live Heroku and Cloudflare match app.yaml (written by \`daffeinated init --workflow\`).
#
# Repository secrets it reads: HEROKU_API_KEY (a token that can read config vars: Heroku's \`read\`
# scope hides them, so \`heroku authorizations:create --scope read-protected --description drift-check\`),
# CLOUDFLARE_API_TOKEN when app.yaml has zones (Zone Read, DNS Read, Zone Settings Read, Zone WAF
# Read), and every variable app.yaml reads with from_env (their drift is compared through keyed
# hashes, never printed; a secret the repository does not have arrives as "", which counts as unset).
# \`daffeinated drift\` exits 0 clean, 2 drift, 1 error. One issue labelled \`drift\` is kept: opened
# on drift, its description replaced with the current report, a comment only when the drift changed,
# closed with a comment when a run is clean. A run that could not check fails the job and leaves the
# issue as it is.
name: drift

on:
  schedule:
    - cron: "17 4 * * *"
  workflow_dispatch: {}

permissions:
  contents: read
  issues: write

concurrency:
  group: drift
  cancel-in-progress: false

jobs:
  drift:
    runs-on: ubuntu-latest
    timeout-minutes: 15
    steps:
      - uses: ${CHECKOUT}
        with:
          persist-credentials: false
      - uses: ${SETUP_NODE}
        with:
          node-version: 24
          cache: npm
      - run: npm ci --no-audit --no-fund

      - name: Check drift
        id: drift
        env:
${env.map((name) => `          ${name}: \${{ secrets.${name} }}`).join('\n')}
        run: |
          set +e
          npx daffeinated drift --all${configFlag} --format json --report drift.md > drift.json
          status=$?
          set -e
          echo "status=$status" >> "$GITHUB_OUTPUT"
          if [ "$status" -ne 0 ] && [ "$status" -ne 2 ]; then exit 1; fi

      - name: Keep the reports
        if: always()
        uses: ${UPLOAD_ARTIFACT}
        with:
          name: drift-report
          path: |
            drift.json
            drift.md
          if-no-files-found: ignore

      - name: Keep the drift issue
        if: steps.drift.outputs.status == '0' || steps.drift.outputs.status == '2'
        env:
          GH_TOKEN: \${{ github.token }}
          DRIFT_STATUS: \${{ steps.drift.outputs.status }}
          RUN_URL: \${{ github.server_url }}/\${{ github.repository }}/actions/runs/\${{ github.run_id }}
        run: node node_modules/daffeinated/scripts/drift-issue.mjs --exit-code "$DRIFT_STATUS" --report drift.md --run-url "$RUN_URL"
`;
}
