#!/bin/bash
# winnow clean --repeated-lines --dedup on a Slurm cluster, as a chain of job arrays.
#
# Every step of the plan (doc/python.md) is split into shares that run as the
# tasks of one job array; each step starts when every task of the previous
# one succeeded (--dependency=afterok). Tasks are idempotent: a failed or
# preempted array task can simply be resubmitted (`sbatch --array=17 ...`)
# and a rerun of the whole chain redoes only unfinished shards.
#
#   ./slurm-example.sh submit        submits the chain and prints the job ids
#   (Slurm runs this same file for each task with STEP/COUNT set)
#
# Needs: the inputs and OUT on a file system every node mounts at the same
# path; python3 with the winnow module on every node (PYTHONPATH below).
# Edit the settings, then run `./slurm-example.sh submit`.
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
CLEAN_TASKS=${CLEAN_TASKS:-256}      # per-document pass: input shards spread over these
LINES=${LINES:-1}                    # 1: remove lines a site repeats on many pages
LINES_TASKS=${LINES_TASKS:-64}       # repeated lines: count and apply steps
SIG_TASKS=${SIG_TASKS:-64}           # dedup pass 1 (signatures)
PARTITIONS=${PARTITIONS:-64}         # dedup pass 2: one task per partition
APPLY_TASKS=${APPLY_TASKS:-64}       # dedup pass 4 (write kept/rejected)
THREADS=${SLURM_CPUS_PER_TASK:-4}    # threads inside each task
export PYTHONPATH=${WINNOW_PYTHONPATH:-/opt/winnow/build/python}${PYTHONPATH:+:$PYTHONPATH}
PY=/usr/bin/python3
# ------------------------------------------------------------------------------

run_share() {  # STEP COUNT: this array task's share of one step
  "$PY" -m winnow.dask --step "$1" --task-index "${SLURM_ARRAY_TASK_ID:-0}" \
    --task-count "$2" --threads "$THREADS" --partitions "$PARTITIONS" \
    --output "$OUT" --config "$CONFIG" --set dedup.enabled=true \
    --set repeated_lines.enabled="$([[ $LINES == 1 ]] && echo true || echo false)" $INPUTS
}

submit() {  # NAME STEP COUNT [DEPENDENCY]: a job array of COUNT tasks
  local dep=()
  [[ -n "${4:-}" ]] && dep=(--dependency="afterok:$4")
  sbatch --parsable --job-name="winnow-$1" --array="0-$(($3 - 1))" "${dep[@]}" \
    --export=ALL,STEP="$2",COUNT="$3" "$0"
}

if [[ "${1:-}" == "submit" ]]; then
  mkdir -p "$OUT"
  j1=$(submit clean clean "$CLEAN_TASKS")
  if [[ $LINES == 1 ]]; then
    j1=$(submit lines-count lines-count "$LINES_TASKS" "$j1")
    j1=$(submit lines-merge lines-merge 1 "$j1")
    j1=$(submit lines-apply lines-apply "$LINES_TASKS" "$j1")
  fi
  j2=$(submit signatures signatures "$SIG_TASKS" "$j1")
  j3=$(submit pairs pairs "$PARTITIONS" "$j2")
  j4=$(submit clusters clusters 1 "$j3")
  j5=$(submit apply apply "$APPLY_TASKS" "$j4")
  j6=$(submit merge merge 1 "$j5")
  echo "submitted: clean(+lines)=$j1 signatures=$j2 pairs=$j3 clusters=$j4 apply=$j5 merge=$j6"
  echo "result: $OUT/stats.json, kept files in order in $OUT/manifest.json"
  exit 0
fi

: "${STEP:?run as: $0 submit}"
run_share "$STEP" "$COUNT"

# The same plan on Kubernetes: one Indexed Job per step
# (completionMode: Indexed, completions: COUNT, parallelism: as you like),
# container command
#   python3 -m winnow.dask --step STEP --task-index $(JOB_COMPLETION_INDEX) \
#     --task-count COUNT --output /data/out --config /data/run.yaml /data/in
# with the next Job created when the previous one has completed.
