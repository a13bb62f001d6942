#!/usr/bin/env bash
# Runs the write-path benchmarks (bench/eventlog_benchmark.cc) and prints the ratios that
# docs/benchmarks.md records and issue 2 sets targets for; then the registry benchmark of
# issue 3 (bench/registry_load.cc: commands through gRPC against the real samradd, next to an
# empty gRPC call).
#
#   scripts/run-benchmarks.sh BUILD_DIR        (what `make bench` runs)
#
# Writes to BUILD_DIR/bench-results/:
#   eventlog_benchmark.json   Google Benchmark's JSON (--benchmark_out)
#   eventlog_benchmark.txt    the console table
#   summary.txt               the figures and ratios printed at the end
#   registry_load.json        the registry benchmark's figures (--json-out)
#   registry_load.txt         its console output
#   registry_paginate.*       the same for the 100k pagination check, when asked for
#
# Environment:
#   BENCH_SUITES              which parts run (default "eventlog registry")
#   BENCH_ARGS                extra flags for eventlog_benchmark (see below)
#   REGISTRY_ARGS             extra flags for registry_load, e.g. "--duration=10"
#   REGISTRY_PAGINATE_COUNT   if set (e.g. 100000), also runs registry_load --mode=paginate
#                             with that many efforts (several minutes; not part of the default)
#
# Every benchmark runs 3 times, the repetitions of all benchmarks in random order, and the
# summary takes the median: the machine's disk and CPUs are shared, and fsync latency in
# particular drifts over minutes, which would otherwise bias whichever benchmark ran in a
# slow stretch. Extra flags for the binary go in BENCH_ARGS and override these, e.g.
#   BENCH_ARGS='--benchmark_filter=Embedded --benchmark_repetitions=5' make bench
set -euo pipefail

if [[ $# -ne 1 ]]; then
  echo "usage: $0 BUILD_DIR" >&2
  exit 2
fi
build_dir=$1
suites=" ${BENCH_SUITES:-eventlog registry} "
binary="${build_dir}/bench/eventlog_benchmark"
registry_binary="${build_dir}/bench/registry_load"
if [[ "${suites}" == *" registry "* && ! -x "${registry_binary}" ]]; then
  echo "error: ${registry_binary} not found; build it first (make build, or" \
    "cmake --build ${build_dir} --target registry_load)" >&2
  exit 1
fi
if [[ "${suites}" == *" eventlog "* && ! -x "${binary}" ]]; then
  echo "error: ${binary} not found; build it first (make build, or" \
    "cmake --build ${build_dir} --target eventlog_benchmark)" >&2
  exit 1
fi
command -v python3 >/dev/null || {
  echo "error: python3 is needed for the summary" >&2
  exit 1
}

results="${build_dir}/bench-results"
mkdir -p "${results}"
json="${results}/eventlog_benchmark.json"
console="${results}/eventlog_benchmark.txt"
summary="${results}/summary.txt"

# The write-path part (not indented: its Python heredoc must start at column 0).
if [[ "${suites}" == *" eventlog "* ]]; then
echo "== machine: $(nproc) CPU(s), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')," \
  "load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== running ${binary} (2 to 3 minutes; results in ${results}/)"
# The run ends by itself in 2 to 3 minutes; the timeout only guards against a hang.
# shellcheck disable=SC2086  # BENCH_ARGS is a list of flags.
timeout --signal=INT 900 "${binary}" \
  --benchmark_repetitions=3 \
  --benchmark_enable_random_interleaving=true \
  --benchmark_min_time=0.2 \
  --benchmark_display_aggregates_only=true \
  --benchmark_format=console \
  --benchmark_out="${json}" --benchmark_out_format=json \
  ${BENCH_ARGS:-} | tee "${console}"

python3 - "${json}" <<'PYTHON' | tee "${summary}"
import json
import re
import sys

with open(sys.argv[1]) as f:
    data = json.load(f)

# name -> result; with repetitions, the median aggregate stands for the benchmark.
# cv: the coefficient of variation of events/s over the repetitions.
runs = {}
cv = {}
for b in data["benchmarks"]:
    if b.get("error_occurred"):
        print(f"ERROR in {b['name']}: {b.get('error_message', '')}")
        continue
    if b.get("run_type") == "aggregate" and b.get("aggregate_name") == "cv":
        cv[b["run_name"]] = b.get("items_per_second")
    if b.get("run_type") == "aggregate" and b.get("aggregate_name") != "median":
        continue
    name = b.get("run_name", b["name"])
    if b.get("run_type") == "aggregate" or name not in runs:
        runs[name] = b


def key(family, threads=1, **params):
    """The run name of `family` with `params` (in registration order) and `threads`."""
    for name in runs:
        parts = name.split("/")
        if parts[0] != family:
            continue
        found = dict(p.split(":", 1) for p in parts[1:] if ":" in p)
        if int(found.get("threads", 1)) != threads:
            continue
        if all(found.get(k) == str(v) for k, v in params.items()):
            return name
    return None


def rate(family, threads=1, **params):
    name = key(family, threads, **params)
    return runs[name]["items_per_second"] if name else None


def fmt_rate(v):
    return "-" if v is None else f"{v / 1000:.1f}k"


def fmt_ratio(a, b):
    return "-" if a is None or b is None or b == 0 else f"{a / b:.2f}"


batches = [1, 16, 128, 1024]
print()
print("== Figures (events/s = items_per_second; MB/s of keys, values and headers;")
print("   batch_us = mean latency of one batch per call, append + apply;")
print("   cv = coefficient of variation of events/s over the repetitions)")
print(f"{'benchmark':70s} {'events/s':>10s} {'cv':>5s} {'MB/s':>7s} {'batch_us':>10s} "
      f"{'per_group':>9s}")
FAMILIES = ["BM_EmbeddedAppendApply", "BM_EmbeddedAppend", "BM_RawRocksDbWriteBatch",
            "BM_RawRocksDbAppendApply", "BM_KafkaAppend", "BM_KafkaAppendApply",
            "BM_RawKafkaProduce"]


def order(name):
    parts = name.split("/")
    p = dict(x.split(":", 1) for x in parts[1:] if ":" in x)
    family = FAMILIES.index(parts[0]) if parts[0] in FAMILIES else len(FAMILIES)
    return (family, int(p.get("threads", 1)), int(p.get("sync", 0)), int(p.get("window_us", 0)),
            int(p.get("batch", 0)), name)


for name in sorted(runs, key=order):
    b = runs[name]
    per_group = b.get("per_group")
    c = cv.get(name)
    short = re.sub(r"/(real_time|iterations:\d+)", "", name)
    print(f"{short:70s} {fmt_rate(b['items_per_second']):>10s} "
          f"{'' if c is None else f'{c:.0%}':>5s} {b['bytes_per_second'] / 1e6:7.1f} "
          f"{b.get('batch_us', 0):10.1f} {'' if per_group is None else f'{per_group:.1f}':>9s}")

print()
print("== Embedded append+apply vs raw RocksDB (unsynced, one writer)")
print(f"{'batch':>6s} {'append+apply':>13s} {'raw WriteBatch':>15s} {'ratio':>6s} "
      f"{'raw append+apply':>17s} {'ratio':>6s} {'append only':>12s} {'ratio':>6s}")
best_batched = 0.0
worst_ratio = None
for n in batches:
    ea = rate("BM_EmbeddedAppendApply", batch=n, sync=0, window_us=0)
    raw = rate("BM_RawRocksDbWriteBatch", batch=n, sync=0)
    raw_aa = rate("BM_RawRocksDbAppendApply", batch=n, sync=0)
    app = rate("BM_EmbeddedAppend", batch=n, sync=0, window_us=0)
    print(f"{n:6d} {fmt_rate(ea):>13s} {fmt_rate(raw):>15s} {fmt_ratio(ea, raw):>6s} "
          f"{fmt_rate(raw_aa):>17s} {fmt_ratio(ea, raw_aa):>6s} {fmt_rate(app):>12s} "
          f"{fmt_ratio(app, raw):>6s}")
    if n > 1 and ea is not None:
        best_batched = max(best_batched, ea)
        if raw:
            r = ea / raw
            worst_ratio = r if worst_ratio is None else min(worst_ratio, r)

print()
print("== Synced vs unsynced embedded append+apply (group commit: 8 writers)")
print(f"{'batch':>6s} {'unsynced x8':>12s} {'synced x8':>10s} {'ratio':>6s} "
      f"{'synced x8 200us':>16s} {'ratio':>6s} {'synced x1':>10s} {'unsynced x1':>12s} "
      f"{'ratio':>6s}")
best_sync_ratio = None
for n in batches:
    u8 = rate("BM_EmbeddedAppendApply", threads=8, batch=n, sync=0, window_us=0)
    s8 = rate("BM_EmbeddedAppendApply", threads=8, batch=n, sync=1, window_us=0)
    w8 = rate("BM_EmbeddedAppendApply", threads=8, batch=n, sync=1, window_us=200)
    s1 = rate("BM_EmbeddedAppendApply", batch=n, sync=1, window_us=0)
    u1 = rate("BM_EmbeddedAppendApply", batch=n, sync=0, window_us=0)
    print(f"{n:6d} {fmt_rate(u8):>12s} {fmt_rate(s8):>10s} {fmt_ratio(s8, u8):>6s} "
          f"{fmt_rate(w8):>16s} {fmt_ratio(w8, u8):>6s} {fmt_rate(s1):>10s} "
          f"{fmt_rate(u1):>12s} {fmt_ratio(s1, u1):>6s}")

print()
print("== Raw RocksDB synced vs unsynced (reference)")
print(f"{'batch':>6s} {'unsynced x1':>12s} {'synced x1':>10s} {'ratio':>6s} "
      f"{'unsynced x8':>12s} {'synced x8':>10s} {'ratio':>6s}")
for n in batches:
    u1 = rate("BM_RawRocksDbWriteBatch", batch=n, sync=0)
    s1 = rate("BM_RawRocksDbWriteBatch", batch=n, sync=1)
    u8 = rate("BM_RawRocksDbWriteBatch", threads=8, batch=n, sync=0)
    s8 = rate("BM_RawRocksDbWriteBatch", threads=8, batch=n, sync=1)
    print(f"{n:6d} {fmt_rate(u1):>12s} {fmt_rate(s1):>10s} {fmt_ratio(s1, u1):>6s} "
          f"{fmt_rate(u8):>12s} {fmt_rate(s8):>10s} {fmt_ratio(s8, u8):>6s}")

fsync = key("BM_RawRocksDbWriteBatch", batch=1, sync=1)
if fsync:
    print(f"(one synced 1-record RocksDB write took {runs[fsync]['batch_us']:.0f} us on average:"
          " the disk's fsync latency during this run)")

print()
print("== Kafka (mock cluster, 1 broker) vs raw librdkafka produce")
print(f"{'batch':>6s} {'KafkaEventLog':>14s} {'raw produce':>12s} {'ratio':>6s} "
      f"{'append+apply':>13s}")
for n in batches:
    k = rate("BM_KafkaAppend", batch=n)
    raw = rate("BM_RawKafkaProduce", batch=n)
    ka = rate("BM_KafkaAppendApply", batch=n)
    print(f"{n:6d} {fmt_rate(k):>14s} {fmt_rate(raw):>12s} {fmt_ratio(k, raw):>6s} "
          f"{fmt_rate(ka):>13s}")

print()
print("== Targets (issue 2)")


def verdict(values, threshold):
    if not values:
        return "not measured in this run"
    return "met" if all(v >= threshold for v in values) else "NOT met"


batched = [r for n in batches if n > 1
           for r in [rate("BM_EmbeddedAppendApply", batch=n, sync=0, window_us=0)] if r]
print("embedded append+apply >= 100k events/s batched: best "
      + (fmt_rate(max(batched)) if batched else "-")
      + f" -> {verdict([max(batched)] if batched else [], 100_000)}")
ratios = []
for n in batches:
    ea = rate("BM_EmbeddedAppendApply", batch=n, sync=0, window_us=0)
    raw = rate("BM_RawRocksDbWriteBatch", batch=n, sync=0)
    if ea and raw:
        ratios.append((n, ea / raw))
print("embedded append+apply >= 0.5 x raw RocksDB WriteBatch at the same batch size: "
      + ", ".join(f"batch {n}: {r:.2f}" for n, r in ratios)
      + f" -> {verdict([r for _, r in ratios], 0.5)}")
sync_ratios = []
for n in batches:
    u8 = rate("BM_EmbeddedAppendApply", threads=8, batch=n, sync=0, window_us=0)
    best = max(filter(None, [rate("BM_EmbeddedAppendApply", threads=8, batch=n, sync=1,
                                  window_us=w) for w in (0, 200)]), default=None)
    if u8 and best:
        sync_ratios.append((n, best / u8))
batched_sync = [r for n, r in sync_ratios if n > 1]
print("synced (group commit, 8 writers) >= 0.25 x unsynced (8 writers): "
      + ", ".join(f"batch {n}: {r:.2f}" for n, r in sync_ratios)
      + f" -> {verdict([r for _, r in sync_ratios], 0.25)}"
      + f" (batches >= 16: {verdict(batched_sync, 0.25)})")
PYTHON
echo "== results: ${json}, ${console}, ${summary}"
fi

# --- Registry through gRPC (issue 3) ---------------------------------------------------------
# registry_load starts build/bin/samradd itself (default durability: the embedded log fsyncs
# every append), in a temporary directory that it removes, and stops it at the end. The run
# takes about 2.5 minutes and stops by itself; the timeout only guards against a hang (SIGINT
# makes the tool kill samradd and clean up).
if [[ "${suites}" == *" registry "* ]]; then
  echo "== machine: $(nproc) CPU(s), load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "== running ${registry_binary} --mode=throughput (about 2.5 minutes; results in" \
    "${results}/)"
  # shellcheck disable=SC2086  # REGISTRY_ARGS is a list of flags.
  timeout --signal=INT 900 "${registry_binary}" --mode=throughput \
    --json-out="${results}/registry_load.json" ${REGISTRY_ARGS:-} |
    tee "${results}/registry_load.txt"
  if [[ -n "${REGISTRY_PAGINATE_COUNT:-}" ]]; then
    echo "== running ${registry_binary} --mode=paginate --count=${REGISTRY_PAGINATE_COUNT}"
    # shellcheck disable=SC2086
    timeout --signal=INT 7200 "${registry_binary}" --mode=paginate \
      --count="${REGISTRY_PAGINATE_COUNT}" --json-out="${results}/registry_paginate.json" \
      ${REGISTRY_ARGS:-} | tee "${results}/registry_paginate.txt"
  fi
  echo "== results: ${results}/registry_load.json, ${results}/registry_load.txt"
fi
