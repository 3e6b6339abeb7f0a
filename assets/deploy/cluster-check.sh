# shellcheck shell=bash
# Checks a release from inside the cluster, in a short-lived pod that is unique per run attempt
# and call (a rerun never meets a pod of an earlier attempt):
#
#   smoke SERVICE PATH   HTTP check of http://SERVICE.NAMESPACE.svc/PATH, with retries
#   gate                 a Prometheus metric gate: SLIPWAY_GATE_COUNT measurements, failing
#                        only when more than SLIPWAY_GATE_FAILURE_LIMIT of them fail (a
#                        measurement that cannot be taken counts as failed, it does not abort)
#
# Parameters (environment):
#   SLIPWAY_APP SLIPWAY_NAMESPACE SLIPWAY_CHECK_IMAGE
#   SLIPWAY_CANARY_ONLY   "true": the check concerns a canary, skipped when this run installed
#                         the release for the first time (there is no canary then)
#   smoke: SLIPWAY_SMOKE_RETRIES SLIPWAY_SMOKE_INTERVAL SLIPWAY_SMOKE_MAX_TIME
#   gate:  SLIPWAY_GATE_NAME SLIPWAY_PROMETHEUS SLIPWAY_GATE_QUERY SLIPWAY_GATE_CONDITION
#          (an awk expression of r, e.g. "r < 0.05") SLIPWAY_GATE_COUNT SLIPWAY_GATE_INTERVAL
#          SLIPWAY_GATE_FAILURE_LIMIT
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

: "${SLIPWAY_NAMESPACE:?}" "${SLIPWAY_CHECK_IMAGE:?}"

# Runs curl ARGS... in a fresh pod; prints its output.
in_pod() {
  local budget="$1" pod
  shift
  pod="$(slipway_unique_name "slipway-check")"
  slipway_bounded 30 kubectl delete pod "$pod" --namespace "$SLIPWAY_NAMESPACE" --ignore-not-found --wait=false > /dev/null
  slipway_bounded "$budget" kubectl run "$pod" --namespace "$SLIPWAY_NAMESPACE" --rm -i --restart=Never --quiet \
    --image="$SLIPWAY_CHECK_IMAGE" -- curl "$@"
}

skip_first_install() {
  if [ "${SLIPWAY_CANARY_ONLY:-false}" = true ] && [ "$(slipway_read recorded 2>/dev/null || echo none)" = none ]; then
    echo "first install of ${SLIPWAY_APP}: there is no canary to check"
    exit 0
  fi
}

cmd_smoke() {
  local service="$1" path="$2" retries="${SLIPWAY_SMOKE_RETRIES:-10}" interval="${SLIPWAY_SMOKE_INTERVAL:-6}" max="${SLIPWAY_SMOKE_MAX_TIME:-10}"
  local url="http://${service}.${SLIPWAY_NAMESPACE}.svc${path}" budget
  budget=$(( retries * (interval + max) + 120 ))
  if in_pod "$budget" -fsS -o /dev/null --retry "$retries" --retry-delay "$interval" --retry-all-errors --max-time "$max" "$url"; then
    echo "healthy: ${url}"
  else
    slipway_die "smoke test failed: ${url}"
  fi
}

cmd_gate() {
  local count="${SLIPWAY_GATE_COUNT:?}" limit="${SLIPWAY_GATE_FAILURE_LIMIT:?}" interval="${SLIPWAY_GATE_INTERVAL:?}"
  local failed=0 i out r
  for i in $(seq 1 "$count"); do
    r=NaN
    if slipway_capture out in_pod 120 -fsS --max-time 20 --get "${SLIPWAY_PROMETHEUS:?}/api/v1/query" --data-urlencode "query=${SLIPWAY_GATE_QUERY:?}"; then
      r="$(jq -r '.data.result[0].value[1] // "NaN"' <<<"$out" 2>/dev/null || echo NaN)"
    fi
    # a cancel is not a failed measurement
    [ -z "$slipway_signalled" ] || exit "$slipway_signalled"
    if [[ "$r" =~ ^-?[0-9.]+([eE][-+]?[0-9]+)?$ ]] && awk -v r="$r" "BEGIN { r += 0; exit !(${SLIPWAY_GATE_CONDITION:?}) }"; then
      echo "${SLIPWAY_GATE_NAME:-gate} = ${r}: ok (${i}/${count})"
    else
      failed=$(( failed + 1 ))
      echo "${SLIPWAY_GATE_NAME:-gate} = ${r}: failed (${SLIPWAY_GATE_CONDITION}; ${failed} of at most ${limit})"
    fi
    if [ "$failed" -gt "$limit" ]; then
      slipway_die "${SLIPWAY_GATE_NAME:-gate} failed ${failed} times, more than its failure limit ${limit}"
    fi
    if [ "$i" -lt "$count" ]; then slipway_pause "$interval" || exit; fi
  done
}

verb="${1:?usage: cluster-check.sh smoke SERVICE PATH | gate}"
shift
skip_first_install
case "$verb" in
  smoke) cmd_smoke "${1:?service}" "${2:?path}" ;;
  gate) cmd_gate ;;
  *) slipway_die "cluster-check.sh: unknown verb ${verb}" ;;
esac
