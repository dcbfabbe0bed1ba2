/** Where `daffeinated init --workflow` writes the nightly drift check, relative to the repository. */
export const DRIFT_WORKFLOW_FILE = '.github/workflows/daffeinated-drift.yml';

/**
 * The nightly drift workflow for a user's repository: installs the repository's own pinned
 * daffeinated (`npm ci`), runs `drift`, keeps the reports, and opens or updates an issue labelled
 * `drift` when live differs from app.yaml. `secrets` are the variables app.yaml reads from the
 * environment (besides the two API tokens), passed from repository secrets of the same names.
 * `config` is the app.yaml path given to `--config`, when not the default. Pure.
 */
export function driftWorkflow(secrets: readonly string[], config: string | undefined): string {
  const env = ['HEROKU_API_KEY', 'CLOUDFLARE_API_TOKEN', ...secrets.filter((s) => s !== 'HEROKU_API_KEY' && s !== 'CLOUDFLARE_API_TOKEN')];
  const configFlag = config === undefined ? '' : ` --config ${config}`;
  return `# Nightly check that live Heroku and Cloudflare match app.yaml (written by \`daffeinated init --workflow\`).
#
# Repository secrets it reads: HEROKU_API_KEY (a read-only token is enough:
# \`heroku authorizations:create --scope read --description drift-check\`), CLOUDFLARE_API_TOKEN when
# app.yaml has zones (Zone Read, DNS Read, Zone Settings Read, Zone WAF Read), and every variable
# app.yaml reads with from_env (their drift is compared through keyed hashes, never printed).
# \`daffeinated drift\` exits 0 clean, 2 drift (an issue labelled \`drift\` is opened or updated),
# 1 error (the job fails: an API that cannot be read is never "no drift").
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
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 20
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
          if [ "$status" -eq 1 ]; then exit 1; fi

      - name: Keep the reports
        if: always()
        uses: actions/upload-artifact@v4
        with:
          name: drift-report
          path: |
            drift.json
            drift.md
          if-no-files-found: ignore

      - name: Open or update the drift issue
        if: steps.drift.outputs.status == '2'
        env:
          GH_TOKEN: \${{ github.token }}
        run: |
          {
            cat drift.md
            echo
            echo "_Run: \${{ github.server_url }}/\${{ github.repository }}/actions/runs/\${{ github.run_id }}_"
          } > body.md
          number=$(gh issue list --label drift --state open --json number --jq '.[0].number')
          if [ -n "$number" ]; then
            gh issue comment "$number" --body-file body.md
          else
            gh label create drift --color D93F0B --description "live differs from app.yaml" 2>/dev/null || true
            gh issue create --title "Config drift detected" --label drift --body-file body.md
          fi
`;
}
