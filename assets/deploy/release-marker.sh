# shellcheck shell=bash
# Remembers releases of a custom target as git tags in the repository (the target's own
# commands deploy; these tags say which commit a rollback returns to):
#   slipway/deployed/<environment>    the last commit deployed and checked
#   slipway/validated/<environment>   deploy-first: the last commit the gates accepted
#
#   record                 read the deployed tag before anything changes
#   begin                  this run starts changing the environment
#   mark-deployed          move the deployed tag to this commit (after its checks passed)
#   contract               the contract migration starts: no rollback after this point
#   prepare-rollback       decide whether the target's rollback commands run, and to which commit
#                          (output "needed"; SLIPWAY_ROLLBACK_SHA in the job environment)
#   validate               deploy-first: the gates passed, move the validated tag to this commit,
#                          unless a newer run deployed since
#   prepare-revalidate     deploy-first: the gates failed; roll back to the validated commit,
#                          unless a newer run deployed since
#   finish-rollback OUTCOME   record the outcome of the rollback commands
#
# Parameters (environment): SLIPWAY_APP (the environment) SLIPWAY_ENVIRONMENT SLIPWAY_SHA
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

: "${SLIPWAY_ENVIRONMENT:?}" "${SLIPWAY_SHA:?}"
deployed_tag="slipway/deployed/${SLIPWAY_ENVIRONMENT}"
validated_tag="slipway/validated/${SLIPWAY_ENVIRONMENT}"

# The commit a remote tag points at, "none" when it does not exist; fails when origin cannot be read.
remote_tag() {
  local out status=0
  out="$(slipway_bounded 60 git ls-remote --exit-code origin "refs/tags/$1")" || status=$?
  if [ "$status" -eq 2 ]; then echo none; return 0; fi
  if [ "$status" -ne 0 ]; then slipway_die "cannot read refs/tags/$1 from origin"; fi
  printf '%s\n' "${out%%[[:space:]]*}"
}

move_tag() {
  git tag -f "$1" "$2" > /dev/null
  slipway_bounded 60 git push --force origin "refs/tags/$1"
}

case "${1:?usage: release-marker.sh record|begin|mark-deployed|contract|prepare-rollback|validate|prepare-revalidate|finish-rollback OUTCOME}" in
  record)
    slipway_mark recorded "$(remote_tag "$deployed_tag")"
    echo "${SLIPWAY_ENVIRONMENT}: deployed release before this run: $(slipway_read recorded)"
    ;;
  begin)
    slipway_mark changed
    ;;
  mark-deployed)
    move_tag "$deployed_tag" "$SLIPWAY_SHA"
    ;;
  contract)
    touch "$(slipway_state_root)/contract-started"
    ;;
  prepare-rollback)
    slipway_output needed false
    slipway_rollback_guard
    if [ "$(slipway_read recorded)" = none ]; then
      slipway_error "${SLIPWAY_ENVIRONMENT}: first deploy failed; there is no earlier release to return to"
      slipway_mark result no-earlier-release
      exit 0
    fi
    echo "SLIPWAY_ROLLBACK_SHA=$(slipway_read recorded)" >> "${GITHUB_ENV:?}"
    slipway_output needed true
    ;;
  validate)
    current="$(remote_tag "$deployed_tag")"
    if [ "$current" != "$SLIPWAY_SHA" ]; then
      echo "::notice::a newer deploy (${current}) replaced ${SLIPWAY_SHA} in ${SLIPWAY_ENVIRONMENT}; the validated release stays"
      exit 0
    fi
    move_tag "$validated_tag" "$SLIPWAY_SHA"
    ;;
  prepare-revalidate)
    slipway_output needed false
    current="$(remote_tag "$deployed_tag")"
    if [ "$current" != "$SLIPWAY_SHA" ]; then
      echo "::notice::a newer deploy (${current}) replaced ${SLIPWAY_SHA} in ${SLIPWAY_ENVIRONMENT}; not rolling it back"
      slipway_mark result nothing-to-undo
      exit 0
    fi
    validated="$(remote_tag "$validated_tag")"
    if [ "$validated" = none ]; then
      slipway_error "${SLIPWAY_ENVIRONMENT}: the gates failed and no release was ever validated; nothing to return to"
      slipway_mark result rollback-failed
      exit 1
    fi
    slipway_mark recorded "$validated"
    echo "SLIPWAY_ROLLBACK_SHA=${validated}" >> "${GITHUB_ENV:?}"
    slipway_output needed true
    ;;
  finish-rollback)
    if [ "${2:?outcome}" = success ]; then
      # the environment runs the recorded release again
      move_tag "$deployed_tag" "$(slipway_read recorded)"
      slipway_rollback_result 0
    else
      slipway_rollback_result 1
    fi
    ;;
  *) slipway_die "release-marker.sh: unknown verb $1" ;;
esac
