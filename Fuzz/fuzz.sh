#!/bin/sh
# Runs BinhYen's libFuzzer targets (built by `make fuzz`) for a set time each.
#
#   Fuzz/fuzz.sh SECONDS TARGET...     (run from the repository root)
#
# For each target: a fresh corpus folder .build-fuzz/corpus/TARGET is filled with the seeds
# (Fuzz/Seeds/TARGET and the matching files of datasets/ and the test fixtures; nothing is
# copied into the repository), libFuzzer runs for SECONDS with the limits below, its log goes
# to .build-fuzz/logs/TARGET.log and crashing inputs to .build-fuzz/artifacts/TARGET/.
# Prints one line per target; exits 1 when any target found a crash, timeout or OOM.
set -u
seconds=${1:?usage: Fuzz/fuzz.sh SECONDS TARGET...}
shift
bin=.build-fuzz/release
status=0

workbooks() {
    find datasets Tests/BinhYenIngestTests/Fixtures -type f -name '*.xlsx' -size -64k
}

# seeds TARGET: the files to start TARGET's corpus from, one per line.
seeds() {
    find "Fuzz/Seeds/$1" -type f 2>/dev/null
    case $1 in
    FuzzDelimited)
        find datasets Tests/BinhYenIngestTests/Fixtures Tests/BinhYenCLITests/Fixtures -type f \
            \( -name '*.csv' -o -name '*.tsv' -o -name '*.txt' \) -size -2M ;;
    FuzzWorkbook)
        workbooks ;;
    FuzzDecoding)
        find Tests/BinhYenIngestTests/Fixtures/legacy datasets/office-files datasets/sample-commune -type f \
            \( -name '*.csv' -o -name '*.txt' \) ;;
    FuzzRulePack)
        find Sources/BinhYenAnalytics/RulePacks Tests/BinhYenCLITests/Fixtures -type f -name '*.toml' ;;
    esac
}

# parts CORPUS XLSX...: writes into CORPUS, for each workbook, its first sheet, shared strings
# and styles joined by lines "%%" (the "parts" input of FuzzWorkbook).
parts() {
    python3 - "$@" <<'PYTHON'
import os, sys, zipfile
corpus = sys.argv[1]
for path in sys.argv[2:]:
    try:
        archive = zipfile.ZipFile(path)
        names = set(archive.namelist())
        texts = [archive.read(name) if name in names else b""
                 for name in ("xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/styles.xml")]
    except (zipfile.BadZipFile, OSError):
        continue
    with open(os.path.join(corpus, "parts-" + os.path.basename(path) + ".txt"), "wb") as out:
        out.write(b"\n%%\n".join(texts))
PYTHON
}

# Longest input libFuzzer makes for each target (longer seeds are cut). Short inputs keep the
# runs fast; the slow paths (legacy-encoding detection) are linear in the length.
max_len() {
    case $1 in
    FuzzWorkbook) echo 32768 ;;
    FuzzRulePack) echo 8192 ;;
    *) echo 4096 ;;
    esac
}

dictionary() {
    case $1 in
    FuzzDelimited|FuzzDecoding) echo Fuzz/Dictionaries/csv.dict ;;
    FuzzWorkbook) echo Fuzz/Dictionaries/xlsx.dict ;;
    FuzzRulePack) echo Fuzz/Dictionaries/toml.dict ;;
    esac
}

for target in "$@"; do
    corpus=.build-fuzz/corpus/$target
    artifacts=.build-fuzz/artifacts/$target
    log=.build-fuzz/logs/$target.log
    rm -rf "$corpus"
    mkdir -p "$corpus" "$artifacts" .build-fuzz/logs
    seeds "$target" | while read -r seed; do
        cp "$seed" "$corpus/$(cksum < "$seed" | cut -d' ' -f1)-$(basename "$seed")"
    done
    if [ "$target" = FuzzWorkbook ]; then
        # shellcheck disable=SC2046 # the fixture paths have no spaces
        parts "$corpus" $(workbooks)
    fi
    # Swift's backtracer would add seconds to every crash report; libFuzzer prints its own.
    # Leak checking is off: Swift's runtime caches look like leaks to LeakSanitizer. Short
    # allocation stacks save most of AddressSanitizer's cost per allocation.
    SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0:quarantine_size_mb=32:malloc_context_size=2 \
        "$bin/$target" "$corpus" -max_total_time="$seconds" -max_len="$(max_len "$target")" \
        -rss_limit_mb=300 -malloc_limit_mb=300 -timeout=5 -detect_leaks=0 -dict="$(dictionary "$target")" \
        -artifact_prefix="$artifacts/" -print_final_stats=1 >"$log" 2>&1
    code=$?
    done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -n 1)
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
    rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log")
    cov=$(echo "$done_line" | sed -n 's/.*cov: \([0-9]*\).*/\1/p')
    ft=$(echo "$done_line" | sed -n 's/.*ft: \([0-9]*\).*/\1/p')
    corp=$(echo "$done_line" | sed -n 's/.*corp: \([0-9]*\).*/\1/p')
    if [ "$code" -eq 0 ]; then
        echo "$target: ok, ${runs:-?} runs in $seconds s (${speed:-?}/s), cov ${cov:-?} ft ${ft:-?}, corpus ${corp:-?}, peak rss ${rss:-?} MB"
    else
        status=1
        problem=$(grep -m 1 -E 'ERROR: libFuzzer|ERROR: AddressSanitizer|Fatal error|SUMMARY' "$log" | cut -c1-160)
        echo "$target: FAILED (exit $code) after ${runs:-?} runs: ${problem:-see $log}; input in $artifacts/ (log $log)"
    fi
done
exit $status
