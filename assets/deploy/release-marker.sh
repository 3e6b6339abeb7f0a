# shellcheck shell=bash
# Remembers releases of a custom target as git tags in the repository (the target's own
# commands deploy; these tags say which commit a rollback returns to):
#   slipway/deployed/<environment>    the last commit deployed and checked
#   slipway/validated/<environment>   deploy-first: the last commit the gates accepted
#   slipway/contracted/<environment>  deploy-first: a commit whose contract migration started after the
#                                     validated one (the validate job runs in another job than the
#                                     contract: this tag tells it not to roll back past the contract)
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
contracted_tag="slipway/contracted/${SLIPWAY_ENVIRONMENT}"

# The commit a remote tag points at, "none" when it does not exist; fails when origin cannot be
# read. Run it with slipway_capture: a failure then ends the script (set -e) unless the caller
# handles it, where in an argument (`slipway_mark recorded "$(remote_tag x)"`) it went unseen.
remote_tag() {
  local out status=0
  slipway_capture out slipway_bounded 60 git ls-remote --exit-code origin "refs/tags/$1" || status=$?
  if [ "$status" -eq 2 ]; then echo none; return 0; fi
  if [ "$status" -ne 0 ]; then
    # stopped by a signal (cancel, timeout): origin was not at fault
    [ -z "$slipway_signalled" ] || return "$status"
    slipway_error "cannot read refs/tags/$1 from origin"
    return 1
  fi
  printf '%s\n' "${out%%[[:space:]]*}"
}

# Points a tag on origin at a commit. A push that fails once (a network blip) is tried again: a release
# must not be undone, nor a rollback left unrecorded, because of it. A signal (cancel) ends the attempts.
move_tag() {
  local attempt status
  for attempt in 1 2 3; do
    status=0
    git tag -f "$1" "$2" > /dev/null || status=$?
    if [ "$status" -eq 0 ]; then slipway_bounded 40 git push --force origin "refs/tags/$1" || status=$?; fi
    if [ "$status" -eq 0 ]; then return 0; fi
    if [ -n "$slipway_signalled" ]; then return "$status"; fi
    if [ "$attempt" -lt 3 ]; then echo "moving $1 to $2 failed (attempt ${attempt}/3); trying again"; slipway_pause 5 || return; fi
  done
  return "$status"
}

delete_tag() {
  local commit
  slipway_capture commit remote_tag "$1" || return
  if [ "$commit" != none ]; then slipway_bounded 40 git push origin ":refs/tags/$1"; fi
}

# set by slipway_capture
current="" recorded="" validated="" contracted=""

case "${1:?usage: release-marker.sh record|begin|mark-deployed|contract|prepare-rollback|validate|prepare-revalidate|finish-rollback OUTCOME}" in
  record)
    slipway_capture recorded remote_tag "$deployed_tag"
    slipway_mark recorded "$recorded"
    echo "${SLIPWAY_ENVIRONMENT}: deployed release before this run: $(slipway_read recorded)"
    ;;
  begin)
    slipway_mark changed
    ;;
  mark-deployed)
    # from here on the deployed tag may name this commit: a rollback must move it back
    slipway_mark tag-moving
    move_tag "$deployed_tag" "$SLIPWAY_SHA"
    ;;
  contract)
    # locally first: even when origin cannot be written, this job must not roll back from here on
    mkdir -p "$(slipway_state_root)"
    touch "$(slipway_state_root)/contract-started"
    # and for the validate job of deploy-first, which runs elsewhere
    move_tag "$contracted_tag" "$SLIPWAY_SHA"
    ;;
  prepare-rollback)
    slipway_output needed false
    slipway_rollback_guard
    if [ "$(slipway_read recorded)" = none ]; then
      slipway_error "${SLIPWAY_ENVIRONMENT}: first deploy failed; there is no earlier release to return to, so ${SLIPWAY_SHA} was not rolled back"
      slipway_mark result no-earlier-release
      exit 0
    fi
    # until finish-rollback records the outcome: a rollback that never finishes is a failed one
    slipway_mark result rollback-failed
    echo "SLIPWAY_ROLLBACK_SHA=$(slipway_read recorded)" >> "${GITHUB_ENV:?}"
    slipway_output needed true
    ;;
  validate)
    slipway_capture current remote_tag "$deployed_tag"
    if [ "$current" != "$SLIPWAY_SHA" ]; then
      echo "::notice::a newer deploy (${current}) replaced ${SLIPWAY_SHA} in ${SLIPWAY_ENVIRONMENT}; the validated release stays"
      exit 0
    fi
    move_tag "$validated_tag" "$SLIPWAY_SHA"
    # every contract so far ran before this release was deployed: a later rollback to it is safe
    delete_tag "$contracted_tag"
    ;;
  prepare-revalidate)
    slipway_output needed false
    # the gates rejected this release: until it is rolled back, the rollback has failed
    slipway_mark result rollback-failed
    slipway_capture current remote_tag "$deployed_tag"
    if [ "$current" != "$SLIPWAY_SHA" ]; then
      echo "::notice::a newer deploy (${current}) replaced ${SLIPWAY_SHA} in ${SLIPWAY_ENVIRONMENT}; not rolling it back"
      slipway_mark result nothing-to-undo
      exit 0
    fi
    slipway_capture validated remote_tag "$validated_tag"
    if [ "$validated" = none ]; then
      slipway_error "${SLIPWAY_ENVIRONMENT}: the gates failed and no release was ever validated, so there is none to return to; ${SLIPWAY_SHA} still runs"
      exit 1
    fi
    slipway_capture contracted remote_tag "$contracted_tag"
    if [ "$contracted" != none ] && [ "$contracted" != "$validated" ]; then
      slipway_error "not rolling back ${SLIPWAY_ENVIRONMENT} to ${validated}: the contract migration has started (in the deploy of ${contracted}), and the validated release may not run against the contracted schema; fix forward"
      slipway_mark result refused
      exit 1
    fi
    slipway_mark recorded "$validated"
    # the deployed tag names this commit: the rollback moves it back to the validated one
    slipway_mark tag-moving
    echo "SLIPWAY_ROLLBACK_SHA=${validated}" >> "${GITHUB_ENV:?}"
    slipway_output needed true
    ;;
  finish-rollback)
    if [ "${2:?outcome}" = success ]; then
      # the environment runs the recorded release again: so must the deployed tag say (when it moved)
      if slipway_marked tag-moving && ! move_tag "$deployed_tag" "$(slipway_read recorded)" \
        && { slipway_capture current remote_tag "$deployed_tag" || current=unknown; } && [ "$current" != "$(slipway_read recorded)" ]; then
        # (a tag that never moved, origin readable but not writable, is right as it is)
        slipway_mark result rollback-failed
        slipway_die "${SLIPWAY_APP}: rolled back to $(slipway_read recorded), but ${deployed_tag} on origin could not be moved back to it and may name a release that no longer runs; rerun this job"
      fi
      slipway_rollback_result 0
    else
      slipway_rollback_result 1
    fi
    ;;
  *) slipway_die "release-marker.sh: unknown verb $1" ;;
esac
