# shellcheck shell=bash
# Runs last in a deploy job, whatever happened: sets the job's outputs from what the rollbacks
# recorded, so that "rolled_back" means a rollback ran and succeeded.
#   rolled_back   true when at least one application was rolled back and none failed to be
#   rollback      none | succeeded | failed | refused (the contract migration had started)
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

results="$(cat "$(slipway_state_root)"/apps/*/result 2>/dev/null || true)"
rollback=none
if grep -qx 'rolled-back' <<<"$results"; then rollback=succeeded; fi
if grep -qx 'refused' <<<"$results"; then rollback=refused; fi
if grep -qx 'rollback-failed' <<<"$results"; then rollback=failed; fi
rolled_back=false
if [ "$rollback" = succeeded ]; then rolled_back=true; fi
slipway_output rolled_back "$rolled_back"
slipway_output rollback "$rollback"
echo "rollback: ${rollback}"
if grep -qx 'no-earlier-release' <<<"$results"; then
  echo "::error::the first deploy failed and there is no earlier release to return to; it still runs"
fi
if [ "$rollback" = failed ] || [ "$rollback" = refused ]; then
  echo "::error::the deploy failed and the environment was not returned to its previous release (${rollback}); see the steps above"
fi
