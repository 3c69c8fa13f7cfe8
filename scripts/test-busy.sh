#!/usr/bin/env bash
# The fault suite's scenario 10 (docs/reliability.md): npm test beside two CPU-bound processes, so that a
# test that depends on timing fails here. Run from a checkout after npm ci: bash scripts/test-busy.sh
set -euo pipefail
cd "$(dirname "$0")/.."
burners=()
for _ in 1 2; do
  node -e 'for (;;) {}' &
  burners+=("$!")
done
trap 'kill "${burners[@]}" 2>/dev/null || true' EXIT
echo "npm test beside ${#burners[@]} CPU-bound processes (pids ${burners[*]}), in a checkout of mode $(stat -c %a .)"
npm test
