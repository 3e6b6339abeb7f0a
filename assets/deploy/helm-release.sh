# shellcheck shell=bash
# Rolls out one application's Helm release, and rolls it back to exactly the revision that ran
# before this job. One verb per workflow step:
#
#   record              read the release history before anything changes; recover a release
#                       left pending by a cancelled run
#   migrate PHASE       run the chart's migration Job of PHASE (expand, migrate, contract)
#   deploy [WEIGHT]     upgrade the release (an NGINX canary at WEIGHT %, or the Argo Rollout)
#   set-weight WEIGHT   move the NGINX canary to WEIGHT %
#   promote             the new release takes all traffic
#   rollback            back to the recorded revision (uninstall after a failed first install)
#
# Parameters (environment):
#   SLIPWAY_APP SLIPWAY_RELEASE SLIPWAY_NAMESPACE SLIPWAY_CHART SLIPWAY_VALUES
#   SLIPWAY_STRATEGY    rolling | nginx-canary | argo-canary | argo-blue-green
#   SLIPWAY_TIMEOUT     seconds a rollout may take
#   SLIPWAY_IMAGE_TAG, SLIPWAY_IMAGE_DIGEST   the release to deploy (either may be empty)
#   SLIPWAY_ROLLOUT     the Argo Rollout's name (argo-*)
#   SLIPWAY_MIGRATION_JOB, SLIPWAY_MIGRATION_TEMPLATE, SLIPWAY_MIGRATION_TIMEOUT   (migrate)
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

: "${SLIPWAY_RELEASE:?}" "${SLIPWAY_NAMESPACE:?}" "${SLIPWAY_CHART:?}" "${SLIPWAY_VALUES:?}" "${SLIPWAY_STRATEGY:?}" "${SLIPWAY_TIMEOUT:?}"
API_TIMEOUT=60

release_args() {
  printf '%s\n' "$SLIPWAY_RELEASE" "$SLIPWAY_CHART" --namespace "$SLIPWAY_NAMESPACE" -f "$SLIPWAY_VALUES"
  if [ -n "${SLIPWAY_IMAGE_TAG:-}" ]; then printf '%s\n' --set-string "image.tag=$SLIPWAY_IMAGE_TAG"; fi
  if [ -n "${SLIPWAY_IMAGE_DIGEST:-}" ]; then printf '%s\n' --set-string "image.digest=$SLIPWAY_IMAGE_DIGEST"; fi
}

# helm upgrade --install with the release's arguments plus "$@".
upgrade() {
  local args
  mapfile -t args < <(release_args)
  slipway_bounded "$(( SLIPWAY_TIMEOUT + 60 ))" helm upgrade --install "${args[@]}" "$@" --timeout "${SLIPWAY_TIMEOUT}s"
}

history_json() {
  slipway_bounded "$API_TIMEOUT" helm history "$SLIPWAY_RELEASE" --namespace "$SLIPWAY_NAMESPACE" --output json --max 256
}

cmd_record() {
  local err history last_status deployed
  err="$(mktemp)"
  if ! slipway_capture history history_json 2>"$err"; then
    if grep -q 'release: not found' "$err"; then
      echo "${SLIPWAY_RELEASE}: not installed yet (first install)"
      slipway_mark recorded none
      return 0
    fi
    cat "$err" >&2
    slipway_die "cannot read the history of ${SLIPWAY_RELEASE} in ${SLIPWAY_NAMESPACE}; nothing was changed"
  fi
  last_status="$(jq -r 'last | .status' <<<"$history")"
  deployed="$(jq -r '[.[] | select(.status == "deployed")] | last | .revision // empty' <<<"$history")"
  case "$last_status" in
    pending-*)
      # A cancelled run left the release locked; Helm allows a rollback, not an upgrade.
      if [ -n "$deployed" ]; then
        echo "${SLIPWAY_RELEASE} is ${last_status} (a cancelled run); returning it to revision ${deployed}"
        slipway_bounded "$(( SLIPWAY_TIMEOUT + 60 ))" helm rollback "$SLIPWAY_RELEASE" "$deployed" --namespace "$SLIPWAY_NAMESPACE" --wait --timeout "${SLIPWAY_TIMEOUT}s"
      else
        echo "${SLIPWAY_RELEASE} is ${last_status} and was never deployed; removing it"
        slipway_bounded "$(( SLIPWAY_TIMEOUT + 60 ))" helm uninstall "$SLIPWAY_RELEASE" --namespace "$SLIPWAY_NAMESPACE" --wait --timeout "${SLIPWAY_TIMEOUT}s"
      fi
      ;;
  esac
  if [ -z "$deployed" ]; then
    echo "${SLIPWAY_RELEASE}: no deployed revision (first install)"
    slipway_mark recorded none
    return 0
  fi
  local values
  slipway_capture values slipway_bounded "$API_TIMEOUT" helm get values "$SLIPWAY_RELEASE" --namespace "$SLIPWAY_NAMESPACE" --revision "$deployed" --output json
  jq -r '.image.tag // ""' <<<"$values" > "$(slipway_app_dir)/stable-tag"
  jq -r '.image.digest // ""' <<<"$values" > "$(slipway_app_dir)/stable-digest"
  slipway_mark recorded "$deployed"
  echo "${SLIPWAY_RELEASE}: revision ${deployed} runs now; a rollback returns to it"
}

first_install() {
  [ "$(slipway_read recorded)" = none ]
}

canary_args() {
  printf '%s\n' --set-string "stable.image.tag=$(slipway_read stable-tag)" --set-string "stable.image.digest=$(slipway_read stable-digest)"
  printf '%s\n' --set canary.enabled=true --set "canary.weight=$1"
}

rollout_phase() {
  slipway_bounded "$API_TIMEOUT" kubectl get rollout "${SLIPWAY_ROLLOUT:?}" --namespace "$SLIPWAY_NAMESPACE" -o 'jsonpath={.status.phase}'
}

# Waits until the Argo Rollout reaches one of the phases in $1 (a regex); fails on Degraded.
wait_rollout_phase() {
  local want="$1" attempt phase=""
  for attempt in $(seq 1 $(( SLIPWAY_TIMEOUT / 5 + 1 ))); do
    slipway_capture phase rollout_phase || true
    if [[ "$phase" =~ ^(${want})$ ]]; then echo "${SLIPWAY_ROLLOUT}: ${phase}"; return 0; fi
    if [ "$phase" = Degraded ]; then slipway_die "${SLIPWAY_ROLLOUT} is Degraded"; fi
    if [ "$attempt" -eq 1 ] || [ $(( attempt % 12 )) -eq 0 ]; then echo "${SLIPWAY_ROLLOUT}: ${phase:-unknown}, waiting for ${want}"; fi
    slipway_pause 5 || return
  done
  slipway_die "${SLIPWAY_ROLLOUT} did not reach ${want} within ${SLIPWAY_TIMEOUT}s (last phase: ${phase:-unknown})"
}

cmd_deploy() {
  local weight="${1:-100}" args
  slipway_mark changed
  case "$SLIPWAY_STRATEGY" in
    rolling)
      upgrade --wait
      ;;
    nginx-canary)
      if first_install; then
        echo "first install: nothing to compare a canary with; installing at 100%"
        upgrade --set canary.enabled=false --wait
      else
        mapfile -t args < <(canary_args "$weight")
        upgrade "${args[@]}" --wait
      fi
      ;;
    argo-canary)
      # Helm does not wait for Argo Rollouts; the controller steps the canary, promote follows it.
      upgrade
      ;;
    argo-blue-green)
      upgrade
      # the preview is up (Paused), or a first install / unchanged template is already Healthy
      wait_rollout_phase 'Paused|Healthy'
      ;;
    *) slipway_die "unknown SLIPWAY_STRATEGY ${SLIPWAY_STRATEGY}" ;;
  esac
}

cmd_set_weight() {
  local weight="$1" args
  if first_install; then echo "first install: no canary at ${weight}%"; return 0; fi
  mapfile -t args < <(canary_args "$weight")
  upgrade "${args[@]}" --wait
}

cmd_promote() {
  case "$SLIPWAY_STRATEGY" in
    nginx-canary)
      if first_install; then echo "first install: already at 100%"; return 0; fi
      # the stable Deployment rolls to the new release while the canary takes all traffic,
      # then the canary objects go away
      upgrade --set canary.enabled=true --set canary.weight=100 --wait
      upgrade --set canary.enabled=false --wait
      ;;
    argo-canary)
      slipway_bounded "$(( SLIPWAY_TIMEOUT + 60 ))" kubectl argo rollouts status "$SLIPWAY_ROLLOUT" --namespace "$SLIPWAY_NAMESPACE" --timeout "${SLIPWAY_TIMEOUT}s"
      ;;
    argo-blue-green)
      local phase=""
      slipway_capture phase rollout_phase || true
      if [ "$phase" = Paused ]; then
        slipway_bounded "$API_TIMEOUT" kubectl argo rollouts promote "$SLIPWAY_ROLLOUT" --namespace "$SLIPWAY_NAMESPACE"
      fi
      slipway_bounded "$(( SLIPWAY_TIMEOUT + 60 ))" kubectl argo rollouts status "$SLIPWAY_ROLLOUT" --namespace "$SLIPWAY_NAMESPACE" --timeout "${SLIPWAY_TIMEOUT}s"
      ;;
    *) echo "${SLIPWAY_STRATEGY}: the deploy already took all traffic" ;;
  esac
}

cmd_migrate() {
  local phase="$1" job="${SLIPWAY_MIGRATION_JOB:?}" manifest state args
  manifest="$(slipway_app_dir)/${job}.yaml"
  mapfile -t args < <(release_args)
  slipway_bounded "$API_TIMEOUT" helm template "${args[@]}" --set "migration.run=${phase}" --show-only "${SLIPWAY_MIGRATION_TEMPLATE:?}" > "$manifest"
  slipway_bounded "$API_TIMEOUT" kubectl delete job "$job" --namespace "$SLIPWAY_NAMESPACE" --ignore-not-found --wait --timeout=60s
  if [ "$phase" = contract ]; then
    # from here on the previous release may not work against the schema: no more rollbacks
    touch "$(slipway_state_root)/contract-started"
  fi
  slipway_bounded "$API_TIMEOUT" kubectl apply --namespace "$SLIPWAY_NAMESPACE" -f "$manifest"
  for _ in $(seq 1 $(( ${SLIPWAY_MIGRATION_TIMEOUT:?} / 5 + 1 ))); do
    slipway_capture state slipway_bounded "$API_TIMEOUT" kubectl get job "$job" --namespace "$SLIPWAY_NAMESPACE" -o 'jsonpath={.status.conditions[?(@.status=="True")].type}' || true
    case "$state" in
      *Complete*) echo "migration ${phase} of ${SLIPWAY_APP} completed"; return 0 ;;
      *Failed*) break ;;
    esac
    slipway_pause 5 || return
  done
  slipway_bounded "$API_TIMEOUT" kubectl logs "job/${job}" --namespace "$SLIPWAY_NAMESPACE" --tail=200 || true
  slipway_die "migration ${phase} of ${SLIPWAY_APP} failed or did not finish within ${SLIPWAY_MIGRATION_TIMEOUT}s"
}

cmd_rollback() {
  slipway_rollback_guard
  local recorded status=0
  recorded="$(slipway_read recorded)"
  if [ "$recorded" = none ]; then
    echo "${SLIPWAY_RELEASE} was not installed before this run; uninstalling it"
    slipway_bounded "$(( SLIPWAY_TIMEOUT + 60 ))" helm uninstall "$SLIPWAY_RELEASE" --namespace "$SLIPWAY_NAMESPACE" --wait --timeout "${SLIPWAY_TIMEOUT}s" || status=$?
    slipway_rollback_result "$status"
    return
  fi
  case "$SLIPWAY_STRATEGY" in
    argo-*)
      # stop the update first, so the controller stops shifting traffic to the new pods
      slipway_bounded "$API_TIMEOUT" kubectl argo rollouts abort "$SLIPWAY_ROLLOUT" --namespace "$SLIPWAY_NAMESPACE" || true
      slipway_bounded "$(( SLIPWAY_TIMEOUT + 60 ))" helm rollback "$SLIPWAY_RELEASE" "$recorded" --namespace "$SLIPWAY_NAMESPACE" --timeout "${SLIPWAY_TIMEOUT}s" || status=$?
      local phase=""
      if [ "$status" -eq 0 ]; then slipway_capture phase rollout_phase || true; fi
      if [ "$status" -eq 0 ] && [ "$phase" != Healthy ]; then
        # the stable ReplicaSet was already scaled down: the old template rolls out as a new
        # update, which must not wait for a promotion or analysis
        slipway_bounded "$API_TIMEOUT" kubectl argo rollouts promote "$SLIPWAY_ROLLOUT" --namespace "$SLIPWAY_NAMESPACE" --full || status=$?
      fi
      if [ "$status" -eq 0 ]; then
        slipway_bounded "$(( SLIPWAY_TIMEOUT + 60 ))" kubectl argo rollouts status "$SLIPWAY_ROLLOUT" --namespace "$SLIPWAY_NAMESPACE" --timeout "${SLIPWAY_TIMEOUT}s" || status=$?
      fi
      ;;
    *)
      # the diff is against the last revision, so canary objects of a failed upgrade go too
      slipway_bounded "$(( SLIPWAY_TIMEOUT + 60 ))" helm rollback "$SLIPWAY_RELEASE" "$recorded" --namespace "$SLIPWAY_NAMESPACE" --wait --timeout "${SLIPWAY_TIMEOUT}s" || status=$?
      ;;
  esac
  slipway_rollback_result "$status"
}

verb="${1:?usage: helm-release.sh record|migrate PHASE|deploy [WEIGHT]|set-weight WEIGHT|promote|rollback}"
shift
case "$verb" in
  record) cmd_record ;;
  migrate) cmd_migrate "${1:?phase}" ;;
  deploy) cmd_deploy "${1:-100}" ;;
  set-weight) cmd_set_weight "${1:?weight}" ;;
  promote) cmd_promote ;;
  rollback) cmd_rollback ;;
  *) slipway_die "helm-release.sh: unknown verb ${verb}" ;;
esac
