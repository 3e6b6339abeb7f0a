# shellcheck shell=bash
# A smoke test from the runner, with retries:
#
#   url URL    healthy when one attempt answers below 400 (and, when SLIPWAY_EXPECT_TEXT is set,
#              its body contains that text)
#   command    healthy when one run of SLIPWAY_CHECK_COMMAND (the environment's own check,
#              from the definition) exits 0
#
# Parameters (environment):
#   SLIPWAY_RETRIES SLIPWAY_INTERVAL SLIPWAY_MAX_TIME (seconds per attempt)
#   SLIPWAY_EXPECT_TEXT   optional (url)
#   SLIPWAY_ANY_ANSWER    "true": any HTTP answer below 500 counts (an application without an
#                         HTTP health endpoint)
#   SLIPWAY_CHECK_COMMAND (command)
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

retries="${SLIPWAY_RETRIES:-10}"
interval="${SLIPWAY_INTERVAL:-6}"
max="${SLIPWAY_MAX_TIME:-10}"

attempt_url() {
  local url="$1" body code
  if [ "${SLIPWAY_ANY_ANSWER:-false}" = true ]; then
    code="$(curl -sS --max-time "$max" -o /dev/null -w '%{http_code}' "$url" || true)"
    if [ -n "$code" ] && [ "$code" != 000 ] && [ "$code" -lt 500 ]; then
      echo "serving: ${url} answered ${code}"
      return 0
    fi
    return 1
  fi
  body="$(mktemp)"
  curl -fsSL --max-time "$max" -o "$body" "$url" || return 1
  if [ -n "${SLIPWAY_EXPECT_TEXT:-}" ] && ! grep -qF -- "$SLIPWAY_EXPECT_TEXT" "$body"; then
    echo "${url} answered without the expected text"
    return 1
  fi
  echo "healthy: ${url}"
}

attempt_command() {
  slipway_bounded "$max" bash -c "${SLIPWAY_CHECK_COMMAND:?}"
}

verb="${1:?usage: smoke-test.sh url URL | command}"
target="${2:-}"
for attempt in $(seq 1 "$retries"); do
  case "$verb" in
    url) if attempt_url "${target:?url}"; then exit 0; fi ;;
    command) if attempt_command; then echo "healthy (attempt ${attempt})"; exit 0; fi ;;
    *) slipway_die "smoke-test.sh: unknown verb ${verb}" ;;
  esac
  echo "attempt ${attempt}/${retries} failed"
  [ -z "$slipway_signalled" ] || exit "$slipway_signalled"
  if [ "$attempt" -lt "$retries" ]; then slipway_pause "$interval" || exit; fi
done
slipway_die "smoke test failed: ${target:-${SLIPWAY_CHECK_COMMAND}}"
