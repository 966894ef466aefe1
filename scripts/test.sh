#!/usr/bin/env bash
# Set up (venv, pinned packages, Debian's chromium for the browser test) and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
      || echo "warning: could not install chromium; the browser end-to-end test will fail" >&2
  else
    echo "warning: /usr/bin/chromium missing; run 'sudo apt-get install chromium' for the browser test" >&2
  fi
fi
.venv/bin/python -m ruff check .
exec .venv/bin/python -m pytest "$@"
