"""How the calibration's statistics depend on the steady start's burn-in (docs/calibration.md, "The steady start
is kept whole"): the calibration spec's runs at the parameters' defaults, for several ``run.burn_in_years``
with the same seeds, as a Markdown table of mean ± standard error over seeds.

    python -m experiments.burn_in_check --years 3,5,7,10,20 --seeds 16 [--workers 2]
"""

from __future__ import annotations

import argparse
from concurrent.futures import ProcessPoolExecutor

import numpy as np

from experiments.calibration import spec as calibration_spec
from experiments.calibration.simulator import Setting

SEED0 = 100


def one(args: tuple[float, int]) -> tuple[float, int, dict[str, float]]:
    years, seed = args
    spec = calibration_spec.load()
    spec.fixed = {**spec.fixed, "run.burn_in_years": years}
    return years, seed, Setting(spec).simulate({}, seed)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--years", default="3,5,7,10,20")
    ap.add_argument("--seeds", type=int, default=16)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args(argv)
    years = [float(y) for y in args.years.split(",")]
    jobs = [(y, s) for s in range(SEED0, SEED0 + args.seeds) for y in years]
    found: dict[float, list[dict[str, float]]] = {}
    with ProcessPoolExecutor(args.workers) as pool:
        for y, _, stats in pool.map(one, jobs):
            found.setdefault(y, []).append(stats)
    keys = list(found[years[0]][0])
    print("| statistic | " + " | ".join(f"{y:g} years" for y in years) + " |")
    print("|---" * (len(years) + 1) + "|")
    for k in keys:
        cells = []
        for y in years:
            x = np.array([s[k] for s in found[y]], dtype=float)
            cells.append(f"{x.mean():.4g} ± {x.std(ddof=1) / np.sqrt(x.size):.2g}")
        print(f"| {k} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
