#!/usr/bin/env bash
# The static checks before the suite: lint (eslint, prettier) and the
# typecheck (with the bindings regenerated), run side by side (one core each);
# each keeps its own output, printed in turn, and any failure fails the whole.
set -uo pipefail
cd "$(dirname "$0")/.."
lint_log=$(mktemp) type_log=$(mktemp)
trap 'rm -f "$lint_log" "$type_log"' EXIT
npm run --silent lint >"$lint_log" 2>&1 &
lint=$!
npm run --silent typecheck >"$type_log" 2>&1 &
type=$!
wait $lint; lint_rc=$?
wait $type; type_rc=$?
cat "$lint_log" "$type_log"
if [ $lint_rc -ne 0 ] || [ $type_rc -ne 0 ]; then
  echo "accelforge: static checks failed (lint exit $lint_rc, typecheck exit $type_rc)" >&2
  exit 1
fi
