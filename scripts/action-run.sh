#!/usr/bin/env bash
# The step of action.yml that runs daffeinated. Its inputs come as INPUT_* variables (action.yml
# sets them); the credentials the command needs (HEROKU_API_KEY, CLOUDFLARE_API_TOKEN, from_env
# secrets) come from the `env` of the workflow step that uses the action.
#
# Which daffeinated: this repository's own workflows (the action used as `./`, so the action's
# checkout is the workspace) run the checked-out code; any other repository runs the release the
# action's package.json names, from the npm registry. Never a floating "latest". The GitHub token
# is for the drift issue only: neither npm nor daffeinated sees it.
#
# Exit code: 0 when daffeinated's exit code is one of INPUT_EXPECTED_EXIT_CODES (and the drift
# issue, if asked for, was kept), daffeinated's own exit code otherwise. Output `exit-code` is
# daffeinated's exit code either way.
set -euo pipefail

github_token=$INPUT_GITHUB_TOKEN
unset INPUT_GITHUB_TOKEN

action_dir=$(cd "$GITHUB_ACTION_PATH" && pwd -P)
workspace=$(cd "$GITHUB_WORKSPACE" && pwd -P)
if [ "$action_dir" = "$workspace" ]; then
  echo "::group::Install and build daffeinated from this checkout"
  (cd "$action_dir" && npm ci --no-audit --no-fund && npm run build)
  echo "::endgroup::"
  cli=(node "$action_dir/bin/daffeinated.js")
else
  version=$(node -p 'require(process.argv[1]).version' "$action_dir/package.json")
  cli=(npx --yes "daffeinated@$version")
fi

# Environment names and extra arguments are split on whitespace (no quoting, no globbing).
read -r -d '' -a environments <<< "$INPUT_ENVIRONMENTS" || true
read -r -d '' -a extra <<< "$INPUT_ARGS" || true
args=("$INPUT_COMMAND")
if [ "${environments[*]}" = "all" ]; then args+=(--all); else args+=("${environments[@]}"); fi
if [ -n "$INPUT_FORMAT" ]; then args+=(--format "$INPUT_FORMAT"); fi
report=$INPUT_REPORT
if [ "$INPUT_DRIFT_ISSUE" = "true" ]; then
  if [ "$INPUT_COMMAND" != "drift" ]; then
    echo "::error title=daffeinated action::drift-issue: true needs command: drift (it is '$INPUT_COMMAND')."
    exit 1
  fi
  if [ -z "$report" ]; then report="${RUNNER_TEMP:-.}/daffeinated-drift.md"; fi
fi
if [ -n "$report" ]; then args+=(--report "$report"); fi
args+=("${extra[@]}")

echo "daffeinated ${args[*]}"
status=0
if [ -n "$INPUT_OUTPUT" ]; then
  "${cli[@]}" "${args[@]}" > "$INPUT_OUTPUT" || status=$?
else
  "${cli[@]}" "${args[@]}" || status=$?
fi
echo "exit-code=$status" >> "$GITHUB_OUTPUT"
echo "report=$report" >> "$GITHUB_OUTPUT"

issue_status=0
if [ "$INPUT_DRIFT_ISSUE" = "true" ]; then
  GH_TOKEN=$github_token node "$action_dir/scripts/drift-issue.mjs" \
    --exit-code "$status" --report "$report" --label "$INPUT_DRIFT_ISSUE_LABEL" \
    --run-url "$GITHUB_SERVER_URL/$GITHUB_REPOSITORY/actions/runs/$GITHUB_RUN_ID" || issue_status=$?
fi

for expected in $INPUT_EXPECTED_EXIT_CODES; do
  if [ "$status" = "$expected" ]; then exit "$issue_status"; fi
done
echo "daffeinated exited with $status, which is not one of the expected exit codes ($INPUT_EXPECTED_EXIT_CODES)."
exit "$status"
