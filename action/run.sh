#!/usr/bin/env bash
# The `tglint check` step of action.yml: one run writes SARIF and the Markdown summary to
# files and prints annotations; the exit code goes to the step's outputs (the action's last
# step exits with it, after the SARIF upload). Inputs come as environment variables:
# TGLINT_PATHS, TGLINT_CONFIG, TGLINT_FAIL_ON, TGLINT_BASELINE, TGLINT_SARIF,
# TGLINT_ANNOTATIONS; GitHub's GITHUB_OUTPUT and GITHUB_STEP_SUMMARY (files).
set -uo pipefail
: "${GITHUB_OUTPUT:?run by GitHub Actions (or a test that sets GITHUB_OUTPUT)}"
summary="${RUNNER_TEMP:-/tmp}/tglint-summary.md"
sarif="${TGLINT_SARIF:-tglint.sarif}"

args=(check --fail-on "${TGLINT_FAIL_ON:-error}")
[ -n "${TGLINT_CONFIG:-}" ] && args+=(--config "$TGLINT_CONFIG")
[ -n "${TGLINT_BASELINE:-}" ] && args+=(--baseline "$TGLINT_BASELINE")
args+=(--format sarif --output "$sarif" --format markdown --output "$summary")
if [ "${TGLINT_ANNOTATIONS:-true}" = "true" ]; then
  args+=(--format github)
fi
# The paths, split on white space (a path with spaces cannot be given here).
read -r -a paths <<<"${TGLINT_PATHS:-.}"
args+=("${paths[@]}")

echo "tglint ${args[*]}"
tglint "${args[@]}"
code=$?

[ -f "$summary" ] && [ -n "${GITHUB_STEP_SUMMARY:-}" ] && cat "$summary" >> "$GITHUB_STEP_SUMMARY"
if [ -f "$sarif" ]; then
  echo "sarif-file=$sarif" >> "$GITHUB_OUTPUT"
else
  echo "sarif-file=" >> "$GITHUB_OUTPUT"
fi
echo "exit-code=$code" >> "$GITHUB_OUTPUT"
exit 0
