# The arguments and settings that bench/cli's scripts share; each sources it
# (it is not run on its own) after naming itself and its defaults:
#
#   name=phases default_repeat=5 default_sets="scrapinghub"
#   . "$(dirname "$0")/common.sh" "$@"
#
# Sets here (bench/cli), src (the source tree), build (the first argument,
# default SRC/build), winnow (BUILD/winnow), data (DATA, default
# ../shared/data/extraction beside the source tree), repeat (REPEAT), sets
# (SETS) and threads (THREADS, default "1 2"). Stops (exit 2) without the
# winnow binary; without the data folder the benchmark is skipped (exit 0).
set -u
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
src="$(cd "$here/../.." && pwd)"
build="${1:-$src/build}"
winnow="$build/winnow"
data="${DATA:-$src/../shared/data/extraction}"
repeat="${REPEAT:-$default_repeat}"
sets="${SETS:-$default_sets}"
threads="${THREADS:-1 2}"
[ -x "$winnow" ] || { echo "$name: no $winnow (build the winnow_cli target)" >&2; exit 2; }
[ -d "$data" ] || { echo "$name: skipped: no data folder $data (../shared/data/extraction)"; exit 0; }

# The load average (1, 5, 15 minutes): wall figures mean little above the
# number of cores.
load() { cut -d' ' -f1-3 /proc/loadavg; }

# The median of the numbers on stdin, one or more a line.
median() {
  tr ' ' '\n' | grep . | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
