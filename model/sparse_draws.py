"""numpy's PCG64 draws computed in compiled code, exactly as numpy computes them.

``rng.random(n)[rows]`` without drawing the other n - len(rows) numbers, and Poisson counts
drawn in a compiled loop.

numpy's PCG64 is a 128-bit linear congruential generator with an output permutation, so the
state after k steps can be reached in O(log k) (jump-ahead). ``uniform_at`` jumps from row to
row (sorted) and computes exactly the doubles numpy would have put at those positions, then
leaves the generator where ``rng.random(n)`` would have left it. A phase that needs a number for
a few hundred of 400,000 rows pays for those few hundred. Exactness is tested against numpy.
"""

from __future__ import annotations

import numpy as np

from model.jit import kernel

U = np.uint64
M32 = U(0xFFFFFFFF)
MASK64 = (1 << 64) - 1
MULT = 0x2360ED051FC65DA44385DF649FCCF645  # PCG's default 128-bit multiplier (numpy's PCG64)
TO_DOUBLE = 1.0 / 9007199254740992.0  # 2**-53


@kernel
def _mulhi(a, b):
    """High 64 bits of the 128-bit product of two uint64."""
    a_lo, a_hi, b_lo, b_hi = a & M32, a >> U(32), b & M32, b >> U(32)
    p0, p1, p2, p3 = a_lo * b_lo, a_lo * b_hi, a_hi * b_lo, a_hi * b_hi
    mid = (p0 >> U(32)) + (p1 & M32) + (p2 & M32)
    return p3 + (p1 >> U(32)) + (p2 >> U(32)) + (mid >> U(32))


@kernel
def _mul128(ah, al, bh, bl):
    return _mulhi(al, bl) + al * bh + ah * bl, al * bl


@kernel
def _add128(ah, al, bh, bl):
    lo = al + bl
    return ah + bh + (U(1) if lo < al else U(0)), lo


@kernel
def _jump_tables(inc_hi, inc_lo, mult_hi, mult_lo):
    """(multiplier, increment) of 2**j steps, j = 0..63."""
    table = np.empty((64, 4), dtype=np.uint64)
    cmh, cml, cph, cpl = mult_hi, mult_lo, inc_hi, inc_lo
    for j in range(64):
        table[j, 0], table[j, 1], table[j, 2], table[j, 3] = cmh, cml, cph, cpl
        # plus <- (mult + 1) * plus ; mult <- mult * mult
        m1h, m1l = _add128(cmh, cml, U(0), U(1))
        cph, cpl = _mul128(m1h, m1l, cph, cpl)
        cmh, cml = _mul128(cmh, cml, cmh, cml)
    return table


@kernel
def _draw_at(state_hi, state_lo, table, positions):
    """Doubles at sorted stream positions (0-based), jumping from the given state."""
    out = np.empty(positions.shape[0], dtype=np.float64)
    sh, sl = state_hi, state_lo
    at = 0
    for k in range(positions.shape[0]):
        delta = positions[k] + 1 - at  # the draw at position p comes from the state after p + 1 steps
        j = 0
        while delta > 0:
            if delta & 1:
                sh, sl = _mul128(table[j, 0], table[j, 1], sh, sl)
                sh, sl = _add128(sh, sl, table[j, 2], table[j, 3])
            delta >>= 1
            j += 1
        at = positions[k] + 1
        rot = sh >> U(58)
        x = sh ^ sl
        out64 = (x >> rot) | (x << ((U(64) - rot) & U(63)))
        out[k] = np.float64(out64 >> U(11)) * TO_DOUBLE
    return out


def _split(x: int) -> tuple[np.uint64, np.uint64]:
    return U(x >> 64), U(x & MASK64)


def _advance(state: int, inc: int, steps: int) -> int:
    """The LCG state after ``steps`` steps (Python integers)."""
    acc_mult, acc_plus, cur_mult, cur_plus = 1, 0, MULT, inc
    mod = (1 << 128) - 1
    while steps > 0:
        if steps & 1:
            acc_mult, acc_plus = (acc_mult * cur_mult) & mod, (acc_plus * cur_mult + cur_plus) & mod
        cur_plus, cur_mult = ((cur_mult + 1) * cur_plus) & mod, (cur_mult * cur_mult) & mod
        steps >>= 1
    return (acc_mult * state + acc_plus) & mod


class LazyUniforms:
    """``count`` arrays ``rng.random(n)`` drawn in a row, of which only the values read are computed.

    ``at(k, rows)`` is exactly ``arrays[k][rows]``; the generator is left where drawing all
    ``count`` arrays would have left it, so later draws from it are unchanged.
    """

    def __init__(self, rng: np.random.Generator, n: int, count: int = 1) -> None:
        bg = rng.bit_generator
        state = bg.state
        if state["bit_generator"] != "PCG64":
            raise TypeError("LazyUniforms needs a PCG64 generator")
        self.n, self.count = n, count
        self.start, inc = state["state"]["state"], state["state"]["inc"]
        self.table = _jump_tables(*_split(inc), *_split(MULT))
        state["state"]["state"] = _advance(self.start, inc, n * count)
        bg.state = state

    def at(self, k: int, rows: np.ndarray) -> np.ndarray:
        rows = np.asarray(rows, dtype=np.int64)
        if not 0 <= k < self.count or (rows.size and (rows.min() < 0 or rows.max() >= self.n)):
            raise IndexError("array or row out of range")
        order = np.argsort(rows, kind="stable")
        values = np.empty(rows.size, dtype=np.float64)
        values[order] = _draw_at(*_split(self.start), self.table, k * self.n + rows[order])
        return values


def uniform_at(rng: np.random.Generator, n: int, rows: np.ndarray) -> np.ndarray:
    """Exactly ``rng.random(n)[rows]``, drawing only at ``rows``; rng ends as after ``rng.random(n)``."""
    return LazyUniforms(rng, n).at(0, rows)


@kernel
def _poisson_small(rng, lam):
    """numpy's Poisson for 0 <= lam < 10 (multiplication method), element by element, drawing from
    numpy's own generator through numba (exp(-lam) from the C library, as numpy's C code does).
    Returns the positions with a non-zero count and those counts."""
    rows = np.empty(lam.shape[0] // 8 + 16, dtype=np.int64)
    counts = np.empty(rows.shape[0], dtype=np.int64)
    m = 0
    for i in range(lam.shape[0]):
        x = np.float64(lam[i])
        if x == 0.0:
            continue
        enlam = np.exp(-x)
        k = 0
        prod = 1.0
        while True:
            prod *= rng.random()
            if prod > enlam:
                k += 1
            else:
                break
        if k > 0:
            if m == rows.shape[0]:  # grow (rare: the buffer starts at an eighth of the rows)
                rows = np.concatenate((rows, np.empty(rows.shape[0], dtype=np.int64)))
                counts = np.concatenate((counts, np.empty(counts.shape[0], dtype=np.int64)))
            rows[m] = i
            counts[m] = k
            m += 1
    return rows[:m], counts[:m]


def poisson(rng: np.random.Generator, lam: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``rng.poisson(lam)`` as (positions with a non-zero count, their counts): the same numbers and
    the same generator state after it; compiled when every lam < 10."""
    lam = np.asarray(lam)
    if lam.size == 0 or not (lam.max() < 10.0 and lam.min() >= 0.0):
        counts = rng.poisson(lam)
        rows = np.flatnonzero(counts)
        return rows, counts[rows]
    return _poisson_small(rng, lam)


@kernel
def _exponential_prefix(rng, rows_sorted, scale):
    out = np.empty(rows_sorted.shape[0], dtype=np.float64)
    k = 0
    for i in range(rows_sorted[-1] + 1):
        x = rng.standard_exponential()  # numba's Generator runs numpy's ziggurat on numpy's bit generator
        while k < rows_sorted.shape[0] and rows_sorted[k] == i:
            out[k] = scale * x
            k += 1
    return out


def exponential_at(rng: np.random.Generator, scale: float, rows: np.ndarray) -> np.ndarray:
    """``rng.exponential(scale, n)[rows]`` for any n above the rows, drawing only up to the last row
    read: the generator is left short of n draws, so use it for a stream's last draw only."""
    rows = np.asarray(rows, dtype=np.int64)
    if rows.size == 0:
        return np.empty(0)
    order = np.argsort(rows, kind="stable")
    values = np.empty(rows.size)
    values[order] = _exponential_prefix(rng, rows[order], float(scale))
    return values
