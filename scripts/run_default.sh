#!/usr/bin/env bash
# Set up and run the default experiment: TR as it happened, small scale, seed 1.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python run.py simulate --scenario tr_reunified --scale small --seed 1 "$@"
