# shellcheck shell=bash
# Rolls out one Cloud Run service from its committed spec, and rolls it back to exactly the
# traffic split recorded before this job. One verb per workflow step:
#
#   render              write the specs to deploy: the built digest replaces the committed image
#                       and names the revision; output "revision"
#   record              read the serving traffic split (revision names and percents) before
#                       anything changes
#   migrate PHASE JOB   replace and execute the Cloud Run job of a migration phase
#   deploy              create the new revision; with a traffic tag it gets no traffic yet (a
#                       revision of the same digest that exists is tagged or given the traffic,
#                       not created again; a failed one is untagged and deleted first)
#   allow-public        let allUsers invoke the service
#   shift PERCENT       send PERCENT % to the new revision, the rest to the recorded split
#   promote             all traffic to the new revision
#   check [TAG]         HTTP check of the tag URL, or of the service URL
#   rollback            the recorded split again, the tag removed (delete after a failed first
#                       deploy)
#
# Parameters (environment):
#   SLIPWAY_APP SLIPWAY_SERVICE SLIPWAY_PROJECT SLIPWAY_REGION SLIPWAY_TIMEOUT
#   SLIPWAY_TAG            the traffic tag of a new revision (empty: all at once)
#   render: SLIPWAY_SPECS (space-separated) SLIPWAY_COMMITTED_IMAGE SLIPWAY_IMAGE_REPOSITORY
#           SLIPWAY_IMAGE_DIGEST (empty: deploy the committed image) SLIPWAY_REVISION
#           SLIPWAY_HASH_LENGTH
#   check:  SLIPWAY_RUNNER_CHECK ("false": the runner cannot reach the service) SLIPWAY_CHECK_PATH
#           and smoke-test.sh's parameters
set -euo pipefail
here="$(dirname "${BASH_SOURCE[0]}")"
# shellcheck source=SCRIPTDIR/lib.sh
. "$here/lib.sh"

: "${SLIPWAY_SERVICE:?}" "${SLIPWAY_PROJECT:?}" "${SLIPWAY_REGION:?}" "${SLIPWAY_TIMEOUT:?}"
API_TIMEOUT=120
where=(--project="$SLIPWAY_PROJECT" --region="$SLIPWAY_REGION")
out="${RUNNER_TEMP:?}/slipway-cloudrun"

gc() {
  slipway_bounded "$API_TIMEOUT" gcloud "$@"
}

revision() {
  slipway_read revision
}

first_deploy() {
  [ "$(slipway_read recorded)" = none ]
}

cmd_render() {
  local image revision spec rendered
  mkdir -p "$out"
  revision="${SLIPWAY_REVISION:?}"
  if [ -n "${SLIPWAY_IMAGE_DIGEST:-}" ]; then
    if [[ ! "$SLIPWAY_IMAGE_DIGEST" =~ ^sha256:[0-9a-f]{64}$ ]]; then
      slipway_die "SLIPWAY_IMAGE_DIGEST '${SLIPWAY_IMAGE_DIGEST}' is not a digest sha256:<64 hex digits>"
    fi
    image="${SLIPWAY_IMAGE_REPOSITORY:?}@${SLIPWAY_IMAGE_DIGEST}"
    revision="${revision}-${SLIPWAY_IMAGE_DIGEST:7:${SLIPWAY_HASH_LENGTH:?}}"
  fi
  for spec in ${SLIPWAY_SPECS:?}; do
    rendered="$out/$(basename "$spec")"
    if [ -z "${SLIPWAY_IMAGE_DIGEST:-}" ]; then
      cp "$spec" "$rendered"
      continue
    fi
    # literal substitutions of the two lines synthesis wrote for this purpose
    awk -v committed="${SLIPWAY_COMMITTED_IMAGE:?}" -v image="$image" -v base="$SLIPWAY_REVISION" -v revision="$revision" '
      { line = $0 }
      match(line, /^ *(- )?image: /) && substr(line, RLENGTH + 1) == committed { line = substr(line, 1, RLENGTH) image }
      match(line, /^ *(- )?(name|revisionName): /) && substr(line, RLENGTH + 1) == base { line = substr(line, 1, RLENGTH) revision }
      { print line }
    ' "$spec" > "$rendered"
    grep -qF "image: $image" "$rendered" || slipway_die "$spec has no image line to substitute; regenerate it with npx slipway synth"
  done
  slipway_mark revision "$revision"
  slipway_output revision "$revision"
  echo "deploying ${image:-the committed image} as revision ${revision}"
}

cmd_record() {
  local err json split
  err="$(mktemp)"
  if ! slipway_capture json gc run services describe "$SLIPWAY_SERVICE" "${where[@]}" --format=json 2>"$err"; then
    if grep -q 'Cannot find service' "$err"; then
      echo "${SLIPWAY_SERVICE}: not deployed yet (first deploy)"
      slipway_mark recorded none
      return 0
    fi
    cat "$err" >&2
    slipway_die "cannot read the traffic of ${SLIPWAY_SERVICE}; nothing was changed"
  fi
  split="$(jq -r '[.status.traffic[]? | select((.percent // 0) > 0) | "\(.revisionName)=\(.percent)"] | join(",")' <<<"$json")"
  [ -n "$split" ] || slipway_die "${SLIPWAY_SERVICE} serves no revision; fix its traffic first; nothing was changed"
  slipway_mark recorded "$split"
  echo "${SLIPWAY_SERVICE} serves ${split}; a rollback returns to it"
}

# The percent the recorded split gives REVISION (0 when it serves nothing).
recorded_percent() {
  local entry entries
  IFS=',' read -ra entries <<<"$(slipway_read recorded)"
  for entry in "${entries[@]}"; do
    if [ "${entry%=*}" = "$1" ]; then echo "${entry##*=}"; return 0; fi
  done
  echo 0
}

# The spec's traffic block (last in the file) replaced, every target named (never LATEST: the
# latest ready revision is not always this run's, e.g. when it redeploys an older digest):
# with a tag, the recorded split keeps every request and the new revision gets only its tag;
# without one (or on a first deploy), the new revision gets everything.
write_traffic() {
  local spec="$1" entry entries rev pct
  local tmp="${spec}.tmp"
  sed '/^  traffic:$/,$d' "$spec" > "$tmp"
  echo "  traffic:" >> "$tmp"
  if [ -z "${SLIPWAY_TAG:-}" ] || first_deploy; then
    printf '    - revisionName: %s\n      percent: 100\n' "$(revision)" >> "$tmp"
  else
    IFS=',' read -ra entries <<<"$(slipway_read recorded)"
    for entry in "${entries[@]}"; do
      rev="${entry%=*}"
      pct="${entry##*=}"
      printf '    - revisionName: %s\n      percent: %s\n' "$rev" "$pct" >> "$tmp"
    done
    printf '    - revisionName: %s\n      percent: 0\n      tag: %s\n' "$(revision)" "$SLIPWAY_TAG" >> "$tmp"
  fi
  mv "$tmp" "$spec"
}

# Tags that name REVISION in the service's traffic (spec and status).
tags_of() {
  local json
  slipway_capture json gc run services describe "$SLIPWAY_SERVICE" "${where[@]}" --format=json || return
  jq -r --arg rev "$1" '[(.spec.traffic[]?, .status.traffic[]?) | select(.revisionName == $rev and (.tag // "") != "") | .tag] | unique | join(",")' <<<"$json"
}

cmd_deploy() {
  local spec="$out/${SLIPWAY_SPEC_FILE:?}" rev json ready tags
  rev="$(revision)"
  slipway_mark changed
  if slipway_capture json gc run revisions describe "$rev" "${where[@]}" --format=json 2>/dev/null; then
    ready="$(jq -r '[.status.conditions[]? | select(.type == "Ready") | .status] | first // ""' <<<"$json")"
    if [ "$ready" != True ]; then
      # a failed attempt left this revision behind; it serves nothing and blocks its name, and
      # Cloud Run refuses to delete a revision a traffic target (a tag) still names
      echo "removing the failed revision ${rev} of an earlier attempt"
      slipway_capture tags tags_of "$rev"
      if [ -n "$tags" ]; then gc run services update-traffic "$SLIPWAY_SERVICE" "${where[@]}" --remove-tags="$tags"; fi
      gc run revisions delete "$rev" "${where[@]}" --quiet
    elif [ "$(recorded_percent "$rev")" -eq 100 ]; then
      echo "${rev} already serves ${SLIPWAY_SERVICE}: nothing to shift"
      slipway_mark already-serving
      return 0
    elif [ -n "${SLIPWAY_TAG:-}" ]; then
      # the same digest deployed before (a rerun, a revert): not created again, only tagged
      echo "${rev} exists already; tagging it ${SLIPWAY_TAG} without traffic"
      gc run services update-traffic "$SLIPWAY_SERVICE" "${where[@]}" --update-tags="${SLIPWAY_TAG}=${rev}"
      return 0
    else
      echo "${rev} exists already; sending it all traffic"
      gc run services update-traffic "$SLIPWAY_SERVICE" "${where[@]}" --to-revisions="${rev}=100"
      return 0
    fi
  fi
  write_traffic "$spec"
  slipway_bounded "$SLIPWAY_TIMEOUT" gcloud run services replace "$spec" "${where[@]}"
}

cmd_allow_public() {
  gc run services add-iam-policy-binding "$SLIPWAY_SERVICE" "${where[@]}" --member=allUsers --role=roles/run.invoker
}

cmd_shift() {
  local percent="$1" rest entries others=() entry rev pct share given=0 i targets new
  if first_deploy || slipway_marked already-serving; then echo "nothing to shift"; return 0; fi
  rest=$(( 100 - percent ))
  new="$(revision)"
  IFS=',' read -ra entries <<<"$(slipway_read recorded)"
  # the new revision may hold part of the recorded split (a redeploy): it gets PERCENT, not more
  for entry in "${entries[@]}"; do
    if [ "${entry%=*}" != "$new" ]; then others+=("$entry"); fi
  done
  targets="${new}=${percent}"
  # the recorded revisions keep their proportions of the rest; the last one takes the rounding
  local total=0
  for entry in "${others[@]}"; do total=$(( total + ${entry##*=} )); done
  for i in "${!others[@]}"; do
    entry="${others[$i]}"
    rev="${entry%=*}"
    pct="${entry##*=}"
    if [ "$i" -eq $(( ${#others[@]} - 1 )) ]; then share=$(( rest - given )); else share=$(( pct * rest / total )); fi
    given=$(( given + share ))
    targets="${targets},${rev}=${share}"
  done
  gc run services update-traffic "$SLIPWAY_SERVICE" "${where[@]}" --to-revisions="$targets"
}

cmd_promote() {
  if slipway_marked already-serving; then echo "already serving"; return 0; fi
  # the revision by name: LATEST is the latest ready revision, not always this run's
  gc run services update-traffic "$SLIPWAY_SERVICE" "${where[@]}" --to-revisions="$(revision)=100"
}

cmd_check() {
  local tag="${1:-}" url json
  if [ "${SLIPWAY_RUNNER_CHECK:-true}" = false ]; then
    echo "the runner cannot reach ${SLIPWAY_SERVICE}; Cloud Run admitted the revision after its startup probe passed"
    return 0
  fi
  slipway_capture json gc run services describe "$SLIPWAY_SERVICE" "${where[@]}" --format=json
  if [ -n "$tag" ]; then
    if slipway_marked already-serving || first_deploy; then tag=""; fi
  fi
  if [ -n "$tag" ]; then
    url="$(jq -r --arg tag "$tag" '[.status.traffic[]? | select(.tag == $tag) | .url] | first // ""' <<<"$json")"
  else
    url="$(jq -r '.status.url // ""' <<<"$json")"
  fi
  [ -n "$url" ] || slipway_die "${SLIPWAY_SERVICE} has no URL${tag:+ for tag $tag}"
  # exec: the check is the step's process, so the runner's signals reach it
  exec bash "$here/smoke-test.sh" url "${url}${SLIPWAY_CHECK_PATH:-/}"
}

cmd_migrate() {
  local phase="$1" job="$2" spec="$out/${3:?spec file}"
  gc run jobs replace "$spec" "${where[@]}"
  if [ "$phase" = contract ]; then touch "$(slipway_state_root)/contract-started"; fi
  slipway_bounded "${SLIPWAY_MIGRATION_TIMEOUT:-$SLIPWAY_TIMEOUT}" gcloud run jobs execute "$job" "${where[@]}" --wait \
    || slipway_die "migration ${phase} of ${SLIPWAY_APP} failed"
}

cmd_rollback() {
  slipway_rollback_guard
  local status=0
  if first_deploy; then
    echo "${SLIPWAY_SERVICE} did not exist before this run; deleting it"
    gc run services delete "$SLIPWAY_SERVICE" "${where[@]}" --quiet || status=$?
    slipway_rollback_result "$status"
    return
  fi
  # one update: the recorded split, and the tag removed so that its URL does not keep pointing at
  # the rejected revision (a tag on a revision that failed would also keep the route from being
  # ready: the split would not be served)
  local tags=()
  if [ -n "${SLIPWAY_TAG:-}" ]; then tags=(--remove-tags="$SLIPWAY_TAG"); fi
  gc run services update-traffic "$SLIPWAY_SERVICE" "${where[@]}" --to-revisions="$(slipway_read recorded)" "${tags[@]}" || status=$?
  slipway_rollback_result "$status"
}

verb="${1:?usage: cloud-run.sh render|record|migrate PHASE JOB SPEC|deploy|allow-public|shift PERCENT|promote|check [TAG]|rollback}"
shift
case "$verb" in
  render) cmd_render ;;
  record) cmd_record ;;
  migrate) cmd_migrate "${1:?phase}" "${2:?job}" "${3:-}" ;;
  deploy) cmd_deploy ;;
  allow-public) cmd_allow_public ;;
  shift) cmd_shift "${1:?percent}" ;;
  promote) cmd_promote ;;
  check) cmd_check "${1:-}" ;;
  rollback) cmd_rollback ;;
  *) slipway_die "cloud-run.sh: unknown verb ${verb}" ;;
esac
