#!/usr/bin/env bash
# Builds the libFuzzer targets in Fuzz/ and runs each for a while; see Fuzz/README.md.
#
#   Fuzz/run-fuzzers.sh [--time SECONDS | --runs N] [--debug] [--no-build] [--scratch DIR] [target…]
#
# Targets: FuzzJSON FuzzFilter FuzzPatch FuzzBulk FuzzSAML (default: all). --time is per target
# (default 60). Prints per target: executions, exec/s, coverage (cov/ft), corpus size, peak RSS and
# findings; exits 1 if any target found something, with the path of each crashing input.
set -euo pipefail

# Everything is in one function so that bash has read the whole script before running any of it:
# editing the script during a long run then cannot break that run.
main() {
cd "$(dirname "$0")/.."
root=$(pwd)

all_targets=(FuzzJSON FuzzFilter FuzzPatch FuzzBulk FuzzSAML)
limit=(-max_total_time=60)
build=1
config=release
scratch="$root/.build-fuzz"
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --time) limit=(-max_total_time="$2"); shift 2 ;;
    --runs) limit=(-runs="$2"); shift 2 ;;
    --no-build) build=0; shift ;;
    --debug) config=debug; shift ;;
    --scratch) scratch="$2"; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    Fuzz*) targets+=("$1"); shift ;;
    *) echo "run-fuzzers: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")

bin="$scratch/$config"

# Every module compiled with coverage instrumentation (libFuzzer) and AddressSanitizer, in release
# (the optimiser's code is the code that ships, and runs several times faster than debug). Each
# target's `<Module>_main` hands over to libFuzzer's driver (see Fuzz/README.md).
if [ $build -eq 1 ]; then
  lock=()
  command -v flock >/dev/null && lock=(flock -o /tmp/zscim-swift.lock)
  mkdir -p "$scratch"
  for t in "${targets[@]}"; do
    echo "== building $t"
    if ! ZSCIM_FUZZ=1 "${lock[@]}" swift build -c "$config" --scratch-path "$scratch" --product "$t" \
      -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library >"$scratch/build-$t.log" 2>&1; then
      tail -30 "$scratch/build-$t.log" >&2
      echo "run-fuzzers: $t did not build ($scratch/build-$t.log)" >&2
      exit 2
    fi
  done
fi

# Seeds: the golden corpus turned into inputs for each target (regenerated every run, not kept
# in git), next to the small hand-written seeds in Fuzz/<target>/seeds.
python3 - "$root" "$scratch/seeds" <<'PY'
import json, os, shutil, sys, hashlib
root, out = sys.argv[1], sys.argv[2]
def write(target, data):
    d = os.path.join(out, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str): data = data.encode()
    open(os.path.join(d, hashlib.sha1(data).hexdigest()), "wb").write(data)
def load(path):
    with open(path, "rb") as f: return f.read()
def files(folder, suffix):
    folder = os.path.join(root, folder)
    return [os.path.join(folder, n) for n in sorted(os.listdir(folder)) if n.endswith(suffix)] if os.path.isdir(folder) else []
shutil.rmtree(out, ignore_errors=True)
compact = lambda v: json.dumps(v, ensure_ascii=False, separators=(",", ":"))
patch_op = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
for path in files("conformance/filter", ".json") + files("conformance/patch", ".json") + files("conformance/fixtures", ".json"):
    write("FuzzJSON", load(path))
for path in files("conformance/filter", ".json"):
    for case in json.load(open(path))["cases"]:
        write("FuzzFilter", case["filter"])
bulk_ops = []
for path in files("conformance/patch", ".json"):
    doc = json.load(open(path))
    kind = "Groups" if doc.get("resourceType", "User") == "Group" else "Users"
    for i, case in enumerate(doc["cases"]):
        body = case.get("request") or {"schemas": [patch_op], "Operations": case.get("operations", [])}
        write("FuzzPatch", compact(body))
        write("FuzzJSON", compact(case))
        before = {k: v for k, v in case.get("before", {}).items() if k not in ("id", "meta", "groups")}
        ops = [{"method": "POST", "path": "/" + kind, "bulkId": "b", "data": before},
               {"method": "PATCH", "path": "/%s/bulkId:b" % kind, "data": body}]
        write("FuzzBulk", compact({"schemas": ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"], "Operations": ops}))
for name, kind in (("users.json", "Users"), ("groups.json", "Groups")):
    ops = []
    for i, r in enumerate(json.load(open(os.path.join(root, "conformance/fixtures", name)))):
        data = {k: v for k, v in r.items() if k not in ("id", "meta", "groups", "members")}
        ops.append({"method": "POST", "path": "/" + kind, "bulkId": "%s%d" % (kind, i), "data": data})
    write("FuzzBulk", compact({"schemas": ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"], "Operations": ops}))
for path in files("schemas/saml", ".xml") + files("Tests/SAMLMetadataTests/Fixtures", ""):
    write("FuzzSAML", load(path))
PY

# Per target: input size bound (the filter limit is 4,096 bytes; bodies and metadata documents a
# few KiB), and the dictionary of its grammar's tokens.
max_len() {
  case "$1" in
    FuzzFilter) echo 4200 ;;
    FuzzPatch) echo 8192 ;;
    FuzzJSON) echo 8192 ;;
    *) echo 16384 ;;
  esac
}
dict() {
  case "$1" in
    FuzzJSON) echo json ;; FuzzFilter) echo filter ;; FuzzPatch) echo patch ;; FuzzBulk) echo bulk ;; FuzzSAML) echo saml ;;
  esac
}

# A trap is libFuzzer's to report: the Swift runtime's own backtracer would run under ASan first.
export SWIFT_BACKTRACE=enable=no
status=0
summary=()
for t in "${targets[@]}"; do
  corpus="$scratch/corpus/$t"
  findings="$scratch/findings/$t"
  log="$scratch/logs/$t.log"
  mkdir -p "$corpus" "$findings" "$(dirname "$log")" "$scratch/seeds/$t"
  echo "== $t (${limit[*]})"
  set +e
  # Leak detection off: the Swift runtime's metadata caches live for the process and would be
  # reported as leaks on every run. A slow input (timeout) or memory growth counts as a finding.
  "$bin/$t" -max_len="$(max_len "$t")" -rss_limit_mb=2048 -malloc_limit_mb=2048 -timeout=10 -detect_leaks=0 \
    -print_final_stats=1 -dict="Fuzz/dicts/$(dict "$t").dict" -artifact_prefix="$findings/" "${limit[@]}" \
    "$corpus" "$scratch/seeds/$t" "Fuzz/$t/seeds" "Fuzz/$t/regressions" >"$log" 2>&1
  rc=$?
  set -e
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -1)
  last=$(grep -E '^#[0-9]+' "$log" | tail -1)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  corp=$(sed -n 's/.* corp: \([0-9]*\)\/.*/\1/p' <<<"$last")
  crash=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
  if [ $rc -ne 0 ]; then
    status=1
    result="FINDING (exit $rc)${crash:+: $crash}"
    echo "-- $t: libFuzzer's report ($log):"
    grep -E "ERROR:|fuzz invariant|Fatal error|SUMMARY|deadly signal|timeout|out-of-memory|Test unit written" "$log" | head -20
  else
    result="no finding"
  fi
  line=$(printf "%-11s runs %-10s exec/s %-7s cov %-6s ft %-7s corpus %-6s rss %-5sMB  %s" \
    "$t" "${runs:-?}" "${speed:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "${rss:-?}" "$result")
  echo "$line"
  summary+=("$line")
done
echo "== summary"
printf '%s\n' "${summary[@]}"
exit $status
}

main "$@"
