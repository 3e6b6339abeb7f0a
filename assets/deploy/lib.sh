# shellcheck shell=bash
# Shared functions of slipway's deploy scripts. Sourced, never run.
#
# Every deploy script keeps what it learns in $RUNNER_TEMP/slipway (one job, one directory):
#   apps/<app>/recorded   the state before this run (a Helm revision, a Cloud Run traffic split,
#                         a git commit, or "none" on a first deploy), written before any change
#   apps/<app>/changed    this run has started changing <app>: only then is there anything to undo
#   apps/<app>/result     rolled-back | rollback-failed | nothing-to-undo
#   contract-started      the contract migration began: the old release may no longer run, so
#                         nothing is rolled back after this point

slipway_state_root() {
  printf '%s/slipway' "${RUNNER_TEMP:?RUNNER_TEMP is not set}"
}

# The state directory of the application the script works on ($SLIPWAY_APP).
slipway_app_dir() {
  local dir
  dir="$(slipway_state_root)/apps/${SLIPWAY_APP:?SLIPWAY_APP is not set}"
  mkdir -p "$dir"
  printf '%s' "$dir"
}

slipway_error() {
  echo "::error::$*" >&2
}

slipway_die() {
  slipway_error "$@"
  exit 1
}

slipway_mark() {
  printf '%s\n' "${2:-yes}" > "$(slipway_app_dir)/$1"
}

slipway_marked() {
  [ -f "$(slipway_app_dir)/$1" ]
}

slipway_read() {
  cat "$(slipway_app_dir)/$1"
}

# Writes NAME=VALUE to the step's outputs.
slipway_output() {
  printf '%s=%s\n' "$1" "$2" >> "${GITHUB_OUTPUT:?GITHUB_OUTPUT is not set}"
}

# The signal the step got, as a status (130 SIGINT, 143 SIGTERM), once the runner began stopping
# it (cancel, or a timeout). From then on slipway_bounded starts nothing: a stopped step starts no
# further change. The trap also keeps a SIGINT that comes while a foreground command runs
# (a sleep between polls): bash would otherwise drop it once that command exits normally.
slipway_signalled=""
# The traps while no bounded command runs: SIGINT is kept, SIGTERM ends the script.
slipway_between_commands() {
  trap 'slipway_signalled=130' INT
  trap - TERM
}
slipway_between_commands

# Runs a command with a time limit, so a server that accepts the connection and never answers
# cannot hold the job until it times out. On cancel the runner signals only the step's process,
# the script (the step runs it with `exec`); the signal is passed on to the command, so it stops
# before the rollback steps start (bash runs a trap only once its foreground command has ended:
# the command runs in the background here). The trap is in place before the command starts: a
# signal between the start and the trap would otherwise end the shell and leave the command
# running, orphaned, while the rollback runs (and an asynchronous command of a non-interactive
# shell ignores SIGINT, so only TERM reaches it). After a signal, this call and every later one
# return the signal's status; a caller that goes on after a failure (`|| status=$?`) goes on
# without starting anything.
slipway_bounded() {
  local seconds="$1" status=0
  shift
  slipway_bounded_pid=""
  trap 'slipway_signalled=130; slipway_interrupt' INT
  trap 'slipway_signalled=143; slipway_interrupt' TERM
  if [ -n "$slipway_signalled" ]; then
    slipway_between_commands
    echo "slipway: the step is being stopped; not starting: $1" >&2
    return "$slipway_signalled"
  fi
  timeout --kill-after=10 "$seconds" "$@" &
  slipway_bounded_pid=$!
  # a signal that came before the pid was known
  if [ -n "$slipway_signalled" ]; then slipway_interrupt; fi
  wait "$slipway_bounded_pid" || status=$?
  if [ "$status" -gt 128 ] && kill -0 "$slipway_bounded_pid" 2>/dev/null; then
    # a trapped signal interrupted the wait: let the command finish stopping
    status=0
    wait "$slipway_bounded_pid" || status=$?
  fi
  # reaped: a later signal must not reach whatever process reuses the pid
  local pgid="$slipway_bounded_pid"
  slipway_bounded_pid=""
  if [ -n "$slipway_signalled" ]; then slipway_stop_group "$pgid"; fi
  slipway_between_commands
  if [ -n "$slipway_signalled" ]; then return "$slipway_signalled"; fi
  return "$status"
}

# Runs COMMAND (a function or a command, e.g. slipway_bounded) in this shell and puts what it
# printed in variable NAME, without trailing newlines, like NAME="$(COMMAND)"; returns its status.
# A command substitution would run COMMAND in a subshell, which the runner's signals never
# reach: its bounded command would run on, orphaned, after the SIGTERM that ends the script.
slipway_capture() {
  local slipway_capture_name="$1" slipway_capture_file slipway_capture_status=0
  shift
  slipway_capture_file="$(mktemp)"
  "$@" > "$slipway_capture_file" || slipway_capture_status=$?
  printf -v "$slipway_capture_name" '%s' "$(cat "$slipway_capture_file")"
  rm -f "$slipway_capture_file"
  return "$slipway_capture_status"
}

# Waits SECONDS between two polls of a loop. Returns the signal's status, at once or when the
# wait ends, once the step is being stopped: the loop ends instead of polling on until the
# runner's SIGTERM (`slipway_pause 5 || return`).
slipway_pause() {
  if [ -z "$slipway_signalled" ]; then sleep "$1" || true; fi
  [ -z "$slipway_signalled" ] || return "$slipway_signalled"
}

# Passes a trapped signal on to the bounded command (timeout passes it on to its process group).
slipway_interrupt() {
  if [ -n "$slipway_bounded_pid" ]; then kill -TERM "$slipway_bounded_pid" 2>/dev/null || true; fi
}

# Stops what is left of process group PGID (timeout leads a group of its own, which its command
# joins): a signal that reaches timeout between its fork and its record of the child's pid makes
# it exit 128+signal without passing the signal on (coreutils timeout.c, cleanup()), and the
# command would run on, orphaned. TERM every 0.1 s while the group has a live member, for up to
# 5 s (a helm upgrade may need them to record its state; the runner's SIGKILL comes 10 s after
# its first signal), then KILL.
slipway_stop_group() {
  local pgid="$1" tries=0
  while [ "$tries" -lt 50 ]; do
    slipway_group_alive "$pgid" || return 0
    kill -TERM -- "-$pgid" 2>/dev/null || return 0
    sleep 0.1
    tries=$((tries + 1))
  done
  kill -KILL -- "-$pgid" 2>/dev/null || true
}

# Whether process group PGID has a member that is not a zombie. kill(2) counts zombies, and a
# command's child whose parent died stays one until init reaps it: slowly in some containers,
# never where PID 1 does not reap (a job container's `tail -f /dev/null`). Where /proc exists,
# a member's state and group are the third and fifth fields of /proc/PID/stat (the second, the
# command name in parentheses, may hold spaces).
slipway_group_alive() {
  local pgid="$1" f line state group
  if [ ! -r /proc/self/stat ]; then
    kill -0 -- "-$pgid" 2>/dev/null
    return
  fi
  for f in /proc/[0-9]*/stat; do
    # the whole file: a command name may hold a newline
    line=""
    { read -r -d '' line < "$f"; } 2>/dev/null || [ -n "$line" ] || continue
    read -r state _ group _ <<< "${line##*) }"
    if [ "$group" = "$pgid" ] && [ "$state" != Z ]; then return 0; fi
  done
  return 1
}

# A name that is unique per workflow run, attempt and call (pods, executions).
slipway_unique_name() {
  local prefix="$1" counter n
  counter="$(slipway_state_root)/counter"
  mkdir -p "$(slipway_state_root)"
  n=$(( $(cat "$counter" 2>/dev/null || echo 0) + 1 ))
  echo "$n" > "$counter"
  printf '%s-%s-%s-%s' "$prefix" "${GITHUB_RUN_ID:-0}" "${GITHUB_RUN_ATTEMPT:-1}" "$n"
}

# Called first by every rollback. Exits the script when there is nothing to do: with 1 after
# the contract migration started (a rollback would be wrong, and the job must say so), with 0
# when this run changed nothing of the application (a failed migration before any upgrade).
slipway_rollback_guard() {
  if [ -f "$(slipway_state_root)/contract-started" ]; then
    slipway_error "not rolling back ${SLIPWAY_APP}: the contract migration has started, and the previous release may not run against the contracted schema; fix forward"
    slipway_mark result refused
    exit 1
  fi
  if ! slipway_marked changed; then
    echo "${SLIPWAY_APP}: this run changed nothing, nothing to roll back"
    slipway_mark result nothing-to-undo
    exit 0
  fi
}

# Runs after a rollback command: records its result for the report step.
slipway_rollback_result() {
  if [ "$1" -eq 0 ]; then
    slipway_mark result rolled-back
    echo "${SLIPWAY_APP}: rolled back to $(slipway_read recorded)"
  else
    slipway_mark result rollback-failed
    slipway_die "${SLIPWAY_APP}: the rollback to $(slipway_read recorded) failed; the environment needs attention"
  fi
}
