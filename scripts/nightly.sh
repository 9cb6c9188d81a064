#!/usr/bin/env bash
# The nightly job: pull each team's new activity from the platform's API, then build the warehouse.
# Environment: SERVER_ADDRESS, API_TOKEN, LABELING_ANALYTICS_TEAM_IDS ("12 15"); optional
# LABELING_ANALYTICS_RAW_DIR (default data/raw) and LABELING_ANALYTICS_EXTRACT_ARGS (more extract
# options, split on spaces: "--overlap 48h --per-page 5000").
set -euo pipefail
cd "$(dirname "$0")/.."
: "${SERVER_ADDRESS:?set SERVER_ADDRESS to the platform address, such as https://app.supervisely.com}"
: "${API_TOKEN:?set API_TOKEN to the API token of a member of the teams}"
: "${LABELING_ANALYTICS_TEAM_IDS:?set LABELING_ANALYTICS_TEAM_IDS to the team ids, such as \"12 15\"}"
raw_dir=${LABELING_ANALYTICS_RAW_DIR:-data/raw}
# shellcheck disable=SC2206 # split on spaces, as documented
args=(--out "$raw_dir" --quiet ${LABELING_ANALYTICS_EXTRACT_ARGS:-})
for team in $LABELING_ANALYTICS_TEAM_IDS; do args+=(--team-id "$team"); done

# One night at a time: when the last one still runs, this one stops (the next night catches up).
mkdir -p logs
exec 9> logs/nightly.lock
if ! flock -n 9; then
    echo "==> $(date -u +%FT%TZ) the previous nightly run still holds logs/nightly.lock: this one stops" >&2
    exit 75
fi

make --no-print-directory install
echo "==> $(date -u +%FT%TZ) extract team(s) $LABELING_ANALYTICS_TEAM_IDS into $raw_dir"
extract_status=0
.venv/bin/labeling-analytics extract "${args[@]}" || extract_status=$?
# Build even when a team failed: the others' new events are worth having; the failed team catches up next night.
echo "==> $(date -u +%FT%TZ) build the warehouse on $raw_dir"
build_status=0
make --no-print-directory build RAW_DIR="$raw_dir" || build_status=$?
if [ "$extract_status" -ne 0 ]; then
    echo "==> the extract failed for at least one team (exit $extract_status); see above" >&2
fi
if [ "$build_status" -ne 0 ]; then
    echo "==> the build failed (exit $build_status); see above" >&2
fi
echo "==> $(date -u +%FT%TZ) done"
exit $((extract_status != 0 ? extract_status : build_status))
