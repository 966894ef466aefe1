#!/usr/bin/env bash
# Create .venv with Python 3.12+ and install the pinned dependencies (requirements.lock).
set -euo pipefail
cd "$(dirname "$0")/.."
find_python() {
  for cand in python3.12 python3.13 python3 python; do
    if command -v "$cand" >/dev/null 2>&1 && "$cand" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then
      echo "$cand"; return 0
    fi
  done
  if command -v pyenv >/dev/null 2>&1; then
    for v in $(pyenv versions --bare 2>/dev/null | grep -E '^3\.(1[2-9])' | sort -rV); do
      p="$(pyenv root)/versions/$v/bin/python"
      [ -x "$p" ] && { echo "$p"; return 0; }
    done
  fi
  return 1
}
if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)'; then
  PY="$(find_python)" || { echo "error: Python 3.12 or newer is required (Mesa 3.4+ needs it); install it, e.g. 'pyenv install 3.12'" >&2; exit 1; }
  rm -rf .venv
  "$PY" -m venv .venv
fi
stamp=.venv/.installed-$(sha1sum requirements.lock | cut -c1-12)
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -r requirements.lock
  touch "$stamp"
fi
