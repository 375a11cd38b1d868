#!/usr/bin/env bash
# Benchmark of `binhyen summary` against the analysts' usual tools (pandas + scipy + pymannkendall,
# polars + numpy, DuckDB SQL, hand-vectorised numpy) on the workload of bench/SPEC.md.
#
# Builds BinhYen in release mode, then runs bench/run.sh (a copy of the shared benchmark, see
# bench/README.md): it installs the peers with pip when missing, generates the datasets with
# bench/gen.py into $BENCH_DATA (default ${TMPDIR:-/tmp}/binhyen-bench), times BinhYen and the
# peers in alternation on the same files (page cache warm, /usr/bin/time -v: wall time and peak
# RSS), checks BinhYen's output against the reference peer with bench/compare.py and prints
# medians, rows/s, MB/s, peak RSS and the ratio to the best peer. Afterwards every peer's output
# is compared with BinhYen's (agreement with all peers, not only the reference).
#
# Not built by CI: nothing here is part of the Swift package.
#
#   Benchmarks/run.sh                                    # every dataset and peer (~30 min)
#   Benchmarks/run.sh --reps 3 --datasets 1k,10k         # a few minutes
#   Benchmarks/run.sh --peers polars_numpy,duckdb_sql,numpy_vectorized   # without pandas (8 min a run at 100k)
#   BENCH_THREADS=1 Benchmarks/run.sh ...                # BinhYen on one thread
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
data="${BENCH_DATA:-${TMPDIR:-/tmp}/binhyen-bench}"
swift build -c release --product binhyen --package-path "$root" >&2
binary="$root/.build/release/binhyen"
threads="${BENCH_THREADS:+ --threads $BENCH_THREADS}"
echo "# load before: $(cat /proc/loadavg)"
"$here/bench/run.sh" --data "$data" --json "$data/results.json" \
  --candidate "binhyen=$binary summary {in} --format csv --output {out}$threads" "$@"
echo "# load after: $(cat /proc/loadavg)"
echo "# agreement of binhyen with every peer (bench/compare.py):"
for output in "$data"/out/*.binhyen.csv; do
  [ -e "$output" ] || continue
  dataset="$(basename "$output" .binhyen.csv)"
  for peer in pandas_scipy polars_numpy duckdb_sql duckdb_sql_join numpy_vectorized; do
    reference="$data/out/$dataset.$peer.csv"
    [ -e "$reference" ] || continue
    if python3 "$here/bench/compare.py" "$output" "$reference" --quiet >/dev/null; then
      echo "#   $dataset: agrees with $peer"
    else
      echo "#   $dataset: DIFFERS from $peer"
      python3 "$here/bench/compare.py" "$output" "$reference" | head -5 || true
    fi
  done
done
