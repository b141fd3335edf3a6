#!/usr/bin/env bash
# Install ethicscheck as a library would be installed, from a built wheel, in fresh virtual environments:
#   core     pip install <wheel>            -> `ethicscheck demo` works; `ethicscheck compare` exits 2 naming the extra
#   compare  pip install '<wheel>[compare]' -> `ethicscheck compare` runs (a small comparison)
# and measure each install: size of site-packages and number of installed distributions.
# Prints Markdown (make install-check writes it to benchmarks/results/install.md).
# Usage: benchmarks/install_check.sh [WORKDIR]   (default: build/install-check; it is deleted first). Builds HEAD.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
WORK=${1:-build/install-check}
rm -rf "$WORK" && mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
PIP_FLAGS=(--disable-pip-version-check -q)

# The wheel is built from the committed tree (HEAD), so edits in progress never leak into the measurement.
mkdir -p "$WORK/src" && git archive HEAD | tar -x -C "$WORK/src"
"$PYTHON" -m pip wheel "${PIP_FLAGS[@]}" --no-deps -w "$WORK/dist" "$WORK/src" >/dev/null
WHEEL=$(ls "$WORK"/dist/ethicscheck-*.whl)

measure() {  # venv -> "<MB> MB, <n> distributions"
  local site
  site=$("$1/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
  local mb count
  mb=$(du -sm "$site" | cut -f1)
  count=$("$1/bin/python" -m pip list --format=freeze 2>/dev/null | grep -vc '^\(pip\|setuptools\|wheel\)==')
  echo "$mb MB, $count distributions"
}

fresh() {  # name spec -> venv path
  local venv="$WORK/$1"
  "$PYTHON" -m venv "$venv"
  "$venv/bin/python" -m pip install "${PIP_FLAGS[@]}" "$2" >&2
  echo "$venv"
}

cat > "$WORK/small_compare.yaml" <<'YAML'
name: install-check
seeds: [0]
synth: {ads: 600, seed: 0}
features: {kind: text, max_features: 200}
candidates:
  - {method: correlation_remover, alpha: 1.0}
  - {method: dp_logistic_regression, epsilons: [1.0], data_norm: 1.0}
privacy_risk: {shadow_models: 1, max_rows: 200}
fairness: {n_boot: 50}
tracking: {enabled: false}
YAML

core=$(fresh core "$WHEEL")
core_size=$(measure "$core")
(cd "$WORK" && "$core/bin/ethicscheck" demo --out "$WORK/demo" --tracking-uri "sqlite:///$WORK/demo.db" >"$WORK/demo.log" 2>&1)
demo_verdict=$("$core/bin/python" -c "import json,sys; print(json.load(open(sys.argv[1]))['verdict']['label'])" "$WORK/demo/audit.json")
set +e
(cd "$WORK" && "$core/bin/ethicscheck" compare --config small_compare.yaml --out "$WORK/cmp-core" >"$WORK/compare-core.log" 2>&1)
core_compare=$?
set -e
grep -q "pip install 'ethicscheck\[compare\]'" "$WORK/compare-core.log"

full=$(fresh compare "$WHEEL[compare]")
full_size=$(measure "$full")
(cd "$WORK" && "$full/bin/ethicscheck" compare --config small_compare.yaml --out "$WORK/cmp-full" >"$WORK/compare-full.log" 2>&1)
test -f "$WORK/cmp-full/comparison.json"

cat <<EOF
# Installing ethicscheck as a library

Measured by \`make install-check\` (benchmarks/install_check.sh): a wheel built from this tree, installed with
pip into fresh virtual environments (Python $("$PYTHON" -c 'import platform; print(platform.python_version())'), Linux), sizes of
site-packages by \`du -sm\`, distributions by \`pip list\` (pip, setuptools, wheel not counted).

| install | size of site-packages | what works |
|---|---|---|
| \`pip install ethicscheck-*.whl\` (core) | $core_size | \`ethicscheck demo\` ran (verdict: $demo_verdict); \`ethicscheck compare\` exited $core_compare naming \`pip install 'ethicscheck[compare]'\` |
| \`pip install 'ethicscheck-*.whl[compare]'\` | $full_size | \`ethicscheck compare\` ran (2 candidates, 1 seed) |
EOF
