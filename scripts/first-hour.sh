#!/usr/bin/env bash
# A team's first hour, in a fresh folder, as the README tells it: pack slipway, install the
# tarball with constructs and jest, `slipway init --language python` (which sets up `npm test`,
# a tsconfig.json and the .gitattributes of the generated files), synth, run the generated
# snapshot test with `npm test`, `synth --check`, and see `--check` catch a hand edit. Also checks that the
# tarball holds only allowed files. Set SLIPWAY_SKIP_COMPILE=1 when lib/ is current.
# npm installs with --prefer-offline: a warm npm cache makes it fast and mostly offline.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/slipway-first-hour.XXXXXX")"
trap 'rm -rf "$work"' EXIT
started=$SECONDS
step() { echo "first-hour: [$((SECONDS - started))s] $*"; }
fail() { echo "first-hour: FAILED: $*" >&2; exit 1; }

cd "$repo"
if [ "${SLIPWAY_SKIP_COMPILE:-}" != 1 ]; then
  step "compile (jsii)"
  npx jsii --silence-warnings=reserved-word > "$work/jsii.log" 2>&1 || { cat "$work/jsii.log"; fail "jsii"; }
fi

step "npm pack"
tarball="$(npm pack --ignore-scripts --silent --pack-destination "$work" | tail -n 1)"
[ -f "$work/$tarball" ] || fail "npm pack wrote no tarball"
bundled="$(node -p "(require('./package.json').bundledDependencies || []).join('|') || 'none'")"
allowed="^(package\.json|README\.md|LICENSE|API\.md|\.jsii|lib/.+\.(js|d\.ts)|bin/(slipway|compile-cache\.js)|assets/deploy/[a-z-]+\.sh|docs/[a-z-]+\.md|node_modules/($bundled)/.+)$"
extra="$(tar -tzf "$work/$tarball" | sed 's#^package/##' | grep -Ev "$allowed" || true)"
[ -z "$extra" ] || fail "the tarball holds files outside the allow-list:"$'\n'"$extra"

step "install the tarball in a fresh folder"
mkdir "$work/app"
cd "$work/app"
git init -q .
npm init -y > /dev/null
npm install --save-dev --prefer-offline --no-audit --no-fund --loglevel=error \
  "$work/$tarball" constructs jest ts-jest @types/jest typescript@5 > "$work/install.log" 2>&1 || { cat "$work/install.log"; fail "npm install"; }

step "npx slipway init --language python"
npx slipway init --language python
for f in slipway.ts delivery.ts delivery.test.ts tsconfig.json .gitattributes; do [ -f "$f" ] || fail "init wrote no $f"; done
[ "$(node -p "require('./package.json').scripts.test")" = jest ] || fail "init set up no test script in package.json"

step "npx slipway synth"
npx slipway synth --quiet
[ -f .github/workflows/ci.yml ] || fail "synth wrote no .github/workflows/ci.yml"
grep -q '^  drift-check:$' .github/workflows/ci.yml || fail "the starter pipeline has no drift-check job"
# every generated file is marked by the .gitattributes init wrote
unmarked="$(node -p "Object.keys(require('./.slipway/manifest.json').files).join('\\n')" | git check-attr --stdin linguist-generated | grep -v ': linguist-generated: true$' || true)"
[ -z "$unmarked" ] || fail "generated files that .gitattributes does not mark linguist-generated:"$'\n'"$unmarked"

step "npm test: the generated snapshot test passes (written as on a laptop, then compared with --ci as in CI)"
# CI=true (set by CI systems) makes jest refuse to write a new snapshot: the first run is the
# developer's own, which writes it; the second is CI's, which compares.
npm test -- --ci=false > "$work/jest.log" 2>&1 || { cat "$work/jest.log"; fail "npm test (first run)"; }
[ -f __snapshots__/delivery.test.ts.snap ] || { cat "$work/jest.log"; fail "npm test wrote no snapshot"; }
npm test -- --ci > "$work/jest.log" 2>&1 || { cat "$work/jest.log"; fail "npm test -- --ci"; }

step "npx slipway synth --check passes, and catches a hand edit (exit 1)"
npx slipway synth --check
echo '# edited by hand' >> .github/workflows/ci.yml
set +e
npx slipway synth --check > "$work/check.log" 2>&1
code=$?
set -e
[ "$code" = 1 ] || { cat "$work/check.log"; fail "synth --check exited $code after a hand edit, not 1"; }

step "ok: $(du -sk node_modules | cut -f1) KiB in node_modules (with jest and typescript)"
