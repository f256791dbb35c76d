# Shared by ab.sh and libraries.sh (sourced): timing one run, and a median.

# The wall time of one run of the command, in ms; its output is dropped, a failure is reported.
one() {
  local t0 t1
  t0=$(date +%s%N)
  "$@" >/dev/null 2>&1 || echo "FAILED: $*" >&2
  t1=$(date +%s%N)
  echo $(( (t1 - t0) / 1000000 ))
}

# The median of the arguments (the upper one of an even count).
med() { printf '%s\n' "$@" | sort -n | awk '{x[NR]=$1} END {print x[int((NR+1)/2)]}'; }
