#!/bin/bash
# Every report a speed-up must not change, written into OUTDIR; compare two runs with
#   bash benchmarks/golden.sh /tmp/before   (on the old commit)
#   bash benchmarks/golden.sh /tmp/after    (on the new one)
#   diff -r /tmp/before /tmp/after          (prints nothing when nothing changed)
# Run from the top of the repository with .venv installed. The synthetic ledgers are
# written by benchmarks/bench.py into $NKLEDGER_GOLDEN_LEDGERS (default
# /tmp/nkledger-golden), the same path for both runs, since reports name their ledger.
set -u
out=${1:?usage: golden.sh OUTDIR}; mkdir -p "$out"
G=${NKLEDGER_GOLDEN_LEDGERS:-/tmp/nkledger-golden}; mkdir -p "$G"
.venv/bin/python - "$G" <<'PY'
import pathlib, sys
sys.path.insert(0, "benchmarks")
import bench
where = pathlib.Path(sys.argv[1])
for name, text in (("l1000", bench.ledger_text(1000)[0]), ("l10000", bench.ledger_text(10000)[0]),
                   ("mix", bench.ledger_text(1045, regions=2, region_size=5)[0])):
    if not (where / f"{name}.toml").exists():
        (where / f"{name}.toml").write_text(text)
PY
nk() { .venv/bin/nkledger "$@" --max-size 1G 2>/dev/null; echo "exit $?" ; }
for f in examples/china_dprk_2025.toml benchmarks/connected_400.toml tests/repros/*.toml $G/l1000.toml $G/mix.toml; do
  b=$(basename "$f" .toml)
  for fmt in json text markdown; do
    nk check "$f" --format $fmt --jobs 1 --quiet > "$out/$b.$fmt" 2>&1
  done
  nk check "$f" --format json --jobs 2 --quiet > "$out/$b.j2.json" 2>&1
  nk check "$f" --format json --reading lenient --jobs 1 --quiet > "$out/$b.lenient.json" 2>&1
  nk check "$f" --format json --reading strict --jobs 1 --quiet > "$out/$b.strict.json" 2>&1
  nk check "$f" --format json --basis all --jobs 1 --quiet > "$out/$b.all.json" 2>&1
done
nk check $G/l10000.toml --format jsonl --jobs 2 --quiet > "$out/l10000.jsonl" 2>&1
nk check $G/l10000.toml --format text --jobs 2 --quiet > "$out/l10000.text" 2>&1
