#!/bin/bash
# winnow clean --repeated-lines --dedup on a Slurm cluster, as a chain of job arrays.
#
# A run is a list of steps, each a list of independent tasks (doc/design.md,
# "Steps and tasks"); `winnow clean ... --plan` prints them with their task
# counts. Every step becomes one job array whose array tasks share its tasks
# (--step S --task-index I --task-count N); each starts when every task of the
# previous one succeeded (--dependency=afterok). Tasks are idempotent: a failed
# or preempted array task can simply be resubmitted (`sbatch --array=17 ...`),
# and a rerun skips the tasks already done.
#
#   ./slurm-example.sh submit        submits the chain and prints the job ids
#   (Slurm runs this same file for each array task with STEP/COUNT set)
#
# Needs: the inputs and OUT on a file system every node mounts at the same
# path; the winnow program on every node. Edit the settings, then submit.
#SBATCH --job-name=winnow
#SBATCH --cpus-per-task=4
#SBATCH --mem=8G
#SBATCH --time=04:00:00
#SBATCH --output=winnow-%x-%A_%a.log

set -euo pipefail

# ---- settings ---------------------------------------------------------------
INPUTS=${INPUTS:-/shared/crawl/CC-MAIN-2024-10/warc}   # files or folders
OUT=${OUT:-/shared/winnow/CC-MAIN-2024-10}             # output folder (shared)
CONFIG=${CONFIG:-/shared/winnow/run.yaml}              # winnow config (YAML)
MAX_ARRAY=${MAX_ARRAY:-256}          # at most this many array tasks per step
THREADS=${SLURM_CPUS_PER_TASK:-4}    # threads inside each task
WINNOW=${WINNOW:-/opt/winnow/build/winnow}
# ------------------------------------------------------------------------------

clean() { "$WINNOW" clean -q --config "$CONFIG" --dedup --repeated-lines -t "$THREADS" -o "$OUT" "$@" $INPUTS; }

if [[ "${1:-}" == "submit" ]]; then
  mkdir -p "$OUT"
  dep=()
  clean --plan | while read -r step tasks; do
    count=$(( tasks < MAX_ARRAY ? tasks : MAX_ARRAY ))
    job=$(sbatch --parsable --job-name="winnow-$step" --array="0-$((count - 1))" "${dep[@]}" \
          --export=ALL,STEP="$step",COUNT="$count" "$0")
    echo "$step: $tasks tasks in $count array tasks, job $job"
    dep=(--dependency="afterok:$job")
  done
  echo "result: $OUT/stats.json when the finish step is done"
  exit 0
fi

: "${STEP:?run as: $0 submit}"
clean --step "$STEP" --task-index "${SLURM_ARRAY_TASK_ID:-0}" --task-count "$COUNT"

# The same plan on Kubernetes: one Indexed Job per step of `winnow clean --plan`
# (completionMode: Indexed, completions: COUNT), container command
#   winnow clean --step STEP --task-index $(JOB_COMPLETION_INDEX) --task-count COUNT \
#     -o /data/out --config /data/run.yaml /data/in
# with the next Job created when the previous one has completed.
