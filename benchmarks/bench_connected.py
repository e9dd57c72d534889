"""The joint analysis on one connected relationship: years of months, all in one part.

Run: ``python benchmarks/bench_connected.py`` (sizes 400, 1,000, 4,000 and 10,000
claims; ``--sizes 400 1000`` for fewer, ``--seed N`` for other data, ``--baseline-limit S``
for the seconds the plain big-M MILP may take per size, ``--write-toml PATH`` to write the
400-claim ledger and stop).

The generator (seeded, no Hypothesis) invents one trade relationship — China's exports to
and imports from North Korea, the total (= exports + imports), and two commodities, each
``part_of`` a flow — with a hidden true monthly series over 5–10 years. Each month,
after the customs release, wires (Reuters, Yonhap, AP, AFP) file a story with the month's
levels, year-on-year and month-on-month growth, the cumulative year to date, a direction
and, where the truth clears it, "the highest since"; several outlets reprint each story word
for word; other outlets write their own (rounded to other precisions, "about" now and then);
halves and years are reported when they end. Figures are rounded as newsrooms round
(four or three significant digits, growth to 0.1 %). About one claim in 40 carries a
reporter's mistake: a unit slip, transposed digits, another month's figure, the wrong sign
or direction, exports given as the total, growth against the wrong base. Every ledger is
one connected part (checked).

Per size, in one process each (so peak memory is that size's own):

* **ours** — :func:`nkledger.solver.analyse` (default limits except ``time_limit``):
  seconds to the first repair (elastic LP, made irreducible and checked exactly), to the
  proven least-weight repair with its ties, and to the whole analysis (conflict sets that
  explain the repair, other readings, implied figures); ``check`` is
  ``nkledger.check`` (pairwise checks + joint analysis) and the text report rendered;
* **baseline** — the plain formulation: one MILP, a binary per claim, every claim row
  relaxed by a big-M (from a box of ten times the largest figure), strict rows moved in by
  a margin, HiGHS, minimise the weight dropped; seconds to its first incumbent and to
  proven optimality (or the limit).

"Found" counts planted mistakes in the best repair; "detectable" those that contradict
the true claims (one exact LP each).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import random
import resource
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
CUSTOMS = "China General Administration of Customs"
WIRES = ("Reuters", "Yonhap", "AP", "AFP")
REPRINTERS = ("Korea Times", "CNA", "Korea Herald", "Straits Times", "Japan Times",
              "SCMP", "Hankyoreh", "Arirang")
WRITERS = ("NK News", "JoongAng Daily", "Daily NK", "38 North", "Chosun Ilbo",
           "Nikkei Asia", "Radio Free Asia", "The Diplomat")
METRICS = (
    ("total", "China–North Korea trade, both directions", None),
    ("cn_exports", "China's exports to North Korea", None),
    ("cn_imports", "China's imports from North Korea", None),
    ("cn_exports_hair", "China's exports of processed hair to North Korea", "cn_exports"),
    ("cn_imports_wigs", "China's imports of wigs from North Korea", "cn_imports"),
)
WORDS = {"total": "Two-way trade", "cn_exports": "China's exports to North Korea",
         "cn_imports": "Imports from North Korea", "cn_exports_hair": "Exports of hair",
         "cn_imports_wigs": "Imports of wigs and eyelashes"}
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
SIZES = (400, 1000, 4000, 10000)
YEARS = {400: 5, 1000: 6, 4000: 8, 10000: 10}
MISTAKE_RATE = 1 / 40


# -- the truth -----------------------------------------------------------------------------


class Truth:
    """Monthly true values (whole dollars) from January of *first* for *years* years."""

    def __init__(self, rng: random.Random, first: int, years: int) -> None:
        self.first, self.n = first, 12 * years
        ex, im = [], []
        e, i = rng.uniform(120e6, 200e6), rng.uniform(15e6, 35e6)
        for k in range(self.n):
            season = 1 + 0.15 * math.sin(2 * math.pi * (k % 12) / 12)
            e = max(20e6, e * rng.uniform(0.93, 1.08))
            i = max(2e6, i * rng.uniform(0.9, 1.1))
            ex.append(int(e * season * rng.uniform(0.85, 1.15)))
            im.append(int(i * season * rng.uniform(0.8, 1.2)))
        self.v = {
            "cn_exports": ex, "cn_imports": im,
            "total": [a + b for a, b in zip(ex, im, strict=True)],
            "cn_exports_hair": [int(a * rng.uniform(0.02, 0.06)) for a in ex],
            "cn_imports_wigs": [int(b * rng.uniform(0.3, 0.6)) for b in im],
        }

    def value(self, metric: str, a: int, b: int) -> int:
        """The true value over months *a*..*b* (indices from the first month)."""
        return sum(self.v[metric][a:b + 1])

    def label(self, k: int) -> str:
        """The period of month index *k*, as a ledger writes it."""
        y, m = divmod(self.first * 12 + k, 12)
        return f"{y}-{m + 1:02d}"


# -- writing figures as newsrooms do --------------------------------------------------------


def money(value: float, sig: int) -> str:
    """"$228.1m", "$1.05bn": *value* dollars rounded half-even to *sig* digits."""
    scale, word = (1e9, "bn") if value >= 1e9 else (1e6, "m") if value >= 1e6 else (1e3, "k")
    x = value / scale
    digits = max(0, sig - len(str(int(x))))
    return f"${x:.{digits}f}{word}"


def percent(growth: float, decimals: int = 1) -> str:
    """"21.2%", "-5.4%"."""
    text = f"{growth:.{decimals}f}%"
    return "0.0%" if text in ("-0.0%", "-0.00%") else text


def transpose(text: str, rng: random.Random) -> str | None:
    """Two neighbouring different digits swapped ("$257.4m" → "$275.4m")."""
    spots = [i for i in range(len(text) - 1) if text[i].isdigit() and text[i + 1].isdigit()
             and text[i] != text[i + 1] and not (i == 1 and text[i + 1] == "0")]
    if not spots:
        return None
    i = rng.choice(spots)
    return text[:i] + text[i + 1] + text[i] + text[i + 2:]


# -- the ledger ------------------------------------------------------------------------------


class Newsroom:
    """Articles about one truth, as TOML tables, with planted mistakes."""

    def __init__(self, rng: random.Random, truth: Truth) -> None:
        self.rng, self.t = rng, truth
        self.sources: list[str] = []
        self.claims: list[str] = []
        self.planted: dict[str, str] = {}
        self.count = 0
        self.n_sources = 0

    def source(self, outlet: str, k: int, origin: str | None = None) -> str:
        y, m = divmod(self.t.first * 12 + k + 1, 12)
        day = self.rng.randint(18, 28)
        self.n_sources += 1
        sid = f"s{self.n_sources}-{outlet.lower().replace(' ', '-')}"
        lines = ["[[source]]", f'id = "{sid}"', f'outlet = "{outlet}"',
                 f"published = {date(y, m + 1, day).isoformat()}",
                 f'title = "{outlet} on China–North Korea trade"',
                 f'url = "https://example.org/{sid}"', f'cites = "{CUSTOMS}"']
        if origin is not None:
            lines.append(f'origin = "{origin}"')
        self.sources.append("\n".join(lines))
        return sid

    def claim(self, sid: str, fields: dict[str, str], mistake: str | None = None) -> str:
        self.count += 1
        cid = f"c{self.count}"
        lines = ["[[claim]]", f'id = "{cid}"', f'source = "{sid}"']
        lines += [f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in fields.items()]
        self.claims.append("\n".join(lines))
        if mistake is not None:
            self.planted[cid] = mistake
        return cid

    # -- one story: a list of claim fields, true ------------------------------------------

    def story(self, k: int, sig: int, own: bool) -> list[dict[str, str]]:
        t, rng = self.t, self.rng
        period = t.label(k)
        out: list[dict[str, str]] = []
        month = MONTHS[(t.first * 12 + k) % 12]
        for metric in ("cn_exports", "cn_imports", "total", "cn_exports_hair",
                       "cn_imports_wigs"):
            if metric.endswith(("hair", "wigs")) and rng.random() < 0.6:
                continue
            if rng.random() < 0.75:
                v = money(t.value(metric, k, k), sig)
                about = own and rng.random() < 0.1
                out.append({"metric": metric, "period": period,
                            "value": ("about " if about else "") + v,
                            "quote": f"{WORDS[metric]} {'were' if metric != 'total' else 'was'} "
                                     f"{'about ' if about else ''}{v} in {month}"})
            if k >= 12 and rng.random() < 0.5:
                g = (t.value(metric, k, k) / t.value(metric, k - 12, k - 12) - 1) * 100
                p = percent(g)
                out.append({"metric": metric, "period": period, "change": "yoy", "value": p,
                            "quote": f"{WORDS[metric]} {'rose' if g >= 0 else 'fell'} "
                                     f"{p.lstrip('-')} from a year earlier"})
            if k >= 1 and rng.random() < 0.2:
                g = (t.value(metric, k, k) / t.value(metric, k - 1, k - 1) - 1) * 100
                if abs(g) > 1:
                    out.append({"metric": metric, "period": period, "change": "mom",
                                "direction": "up" if g > 0 else "down",
                                "quote": f"{WORDS[metric]} {'rose' if g > 0 else 'fell'} "
                                         f"from {MONTHS[(t.first * 12 + k - 1) % 12]}"})
                elif rng.random() < 0.5:
                    out.append({"metric": metric, "period": period, "change": "mom",
                                "value": percent(g),
                                "quote": f"{WORDS[metric]} changed {percent(g)} on the month"})
        m0 = k - (t.first * 12 + k) % 12
        if k > m0 and rng.random() < 0.6:
            v = money(t.value("total", m0, k), sig)
            span = f"{t.label(m0)}..{period}"
            out.append({"metric": "total", "period": span, "value": v,
                        "quote": f"Trade in the first {k - m0 + 1} months reached {v}"})
        for metric in ("cn_exports", "total"):
            vals = t.v[metric]
            x = vals[k]
            j = k - 1
            while j >= 0 and vals[j] * 1.02 <= x:
                j -= 1
            if 0 <= j < k - 2 and vals[j] >= x * 1.02 and rng.random() < 0.5:
                out.append({"metric": metric, "period": period,
                            "rank": f"highest since {t.label(j)}",
                            "quote": f"{WORDS[metric]} reached the highest since "
                                     f"{t.label(j)}"})
        if (k + 1 + t.first * 12) % 6 == 0:  # a half or a year ends
            first = k - 5
            half = f"{period[:4]}-H{1 if period.endswith('06') else 2}"
            for metric in ("cn_exports", "total"):
                if rng.random() < 0.6:
                    v = money(t.value(metric, first, k), 3)
                    out.append({"metric": metric, "period": half, "value": v,
                                "quote": f"{WORDS[metric]} in the half were {v}"})
            if period.endswith("12") and rng.random() < 0.8:
                v = money(t.value("total", k - 11, k), 3)
                out.append({"metric": "total", "period": period[:4], "value": v,
                            "quote": f"Trade for the year totalled {v}"})
        return out

    # -- a reporter's mistake ----------------------------------------------------------------

    def mistake(self, fields: dict[str, str], k: int) -> tuple[dict[str, str], str] | None:
        rng, t = self.rng, self.t
        f = dict(fields)
        if "value" in f and "change" not in f:
            kinds = ["unit_slip", "transposed_digits"]
            if len(f["period"]) == 7:
                kinds.append("wrong_month")
            if f["metric"] == "total" and len(f["period"]) == 7:
                kinds.append("exports_as_total")
            kind = rng.choice(kinds)
            value = f["value"].removeprefix("about ")
            if kind == "unit_slip":
                bad = value.replace("bn", "m") if value.endswith("bn") else value.replace(
                    "m", "bn")
            elif kind == "transposed_digits":
                bad = transpose(value, rng) or value.replace("m", "bn")
            elif kind == "wrong_month":
                other = rng.choice([j for j in range(t.n) if abs(j - k) in (1, 2, 12)])
                bad = money(t.value(f["metric"], other, other), 4)
            else:
                bad = money(t.value("cn_exports", k, k), 4)
            if bad == value:
                return None
            f["quote"] = f["quote"].replace(value, bad)
            f["value"] = bad
            return f, kind
        if "change" in f and "value" in f:
            if f["change"] == "yoy" and rng.random() < 0.5 and k >= 1:
                g = (t.value(f["metric"], k, k) / t.value(f["metric"], k - 1, k - 1) - 1) * 100
                bad = percent(g)
                kind = "wrong_base"
            else:
                bad = f["value"][1:] if f["value"].startswith("-") else "-" + f["value"]
                kind = "wrong_sign"
            if bad in (f["value"], "0.0%", "-0.0%"):
                return None
            f["value"] = bad
            f["quote"] += " (sic)"
            return f, kind
        if "direction" in f:
            f["direction"] = "down" if f["direction"] == "up" else "up"
            f["quote"] = f["quote"].replace("rose", "FELL").replace("fell", "rose").replace(
                "FELL", "fell")
            return f, "wrong_direction"
        return None

    def maybe_wrong(self, fields: dict[str, str], k: int) -> tuple[dict[str, str], str | None]:
        if self.rng.random() < MISTAKE_RATE:
            made = self.mistake(fields, k)
            if made is not None:
                return made[0], made[1]
        return fields, None

    # -- a month of articles ------------------------------------------------------------------

    def month(self, k: int, wires: int, reprints: int, own: int) -> None:
        rng = self.rng
        for wire in rng.sample(WIRES, wires):
            sid = self.source(wire, k)
            story = self.story(k, 4, own=False)
            written = []
            for fields in story:
                f, why = self.maybe_wrong(fields, k)
                self.claim(sid, f, why)
                written.append(fields)
            for outlet in rng.sample(REPRINTERS, min(reprints, len(REPRINTERS))):
                rid = self.source(outlet, k, origin=wire)
                for fields in written:  # word for word, typos of their own aside
                    f, why = self.maybe_wrong(fields, k)
                    self.claim(rid, f, why)
        for outlet in rng.sample(WRITERS, min(own, len(WRITERS))):
            sid = self.source(outlet, k)
            for fields in self.story(k, rng.choice((3, 4)), own=True):
                f, why = self.maybe_wrong(fields, k)
                self.claim(sid, f, why)


HEADER_METRIC = """[[metric]]
id = "{id}"
description = "{description}"
unit = "USD"
aggregate = "sum"
"""


def generate(size: int, seed: int = 0) -> tuple[str, dict[str, str]]:
    """The TOML text of a connected ledger of about *size* claims, and its planted mistakes.

    Deterministic in (*size*, *seed*). Articles are added month by month, round after
    round, until the ledger holds *size* claims (the last story is cut to fit).
    """
    rng = random.Random(f"{seed}-{size}")
    years = YEARS.get(size, max(5, min(10, size // 1000 + 5)))
    truth = Truth(rng, 2026 - years, years)
    room = Newsroom(rng, truth)
    per_month = size / truth.n
    wires = 1 if per_month < 12 else 2
    reprints = max(0, min(len(REPRINTERS), round(per_month / 8)))
    own = max(0, min(len(WRITERS), round(per_month / 10)))
    while room.count < size * 1.1 + 20:
        for k in range(truth.n):
            room.month(k, wires, reprints, own)
            if room.count >= size * 1.1 + 20:
                break
    # keep the first *size* claims of the one big part (a claim alone, such as a
    # commodity with nothing else that month, is left out)
    pool = list(room.claims)
    while True:
        keep = set(_connected(_text(pool, room.sources, years, seed, {})))
        pool = [c for c in pool if c.split('"')[1] in keep]
        claims = pool[:size]
        inside = set(_connected(_text(claims, room.sources, years, seed, {})))
        if len(inside) == len(claims):
            break
        pool = [c for c in pool if c.split('"')[1] in inside or c not in claims]
    kept = {c.split('"')[1] for c in claims}
    planted = {c: why for c, why in room.planted.items() if c in kept}
    return _text(claims, room.sources, years, seed, planted), planted


def _connected(text: str) -> list[str]:
    """The claims of the largest connected part of the ledger *text*."""
    import nkledger
    from nkledger.constraints import compile_ledger

    system = compile_ledger(nkledger.loads(text))
    return list(max(system.components, key=lambda c: len(c.claims)).claims)


def _text(claims: list[str], sources: list[str], years: int, seed: int,
          planted: dict[str, str]) -> str:
    size = len(claims)
    parts = []
    for mid, description, parent in METRICS:
        text = HEADER_METRIC.format(id=mid, description=description)
        if parent:
            text += f'part_of = "{parent}"\n'
        parts.append(text)
    parts.append('[[identity]]\ntotal = ["cn_exports", "cn_imports"]\n')
    used = {line.split('"')[1] for c in claims for line in c.splitlines()
            if line.startswith("source = ")}
    parts += [s + "\n" for s in sources if s.split('"')[1] in used]
    parts += [c + "\n" for c in claims]
    head = (f"# A generated connected ledger: {size} claims, one relationship over {years} "
            f"years, seed {seed}.\n# Written by benchmarks/bench_connected.py; "
            f"{len(planted)} claims carry a planted mistake:\n"
            + "".join(f"# planted: {c} {why}\n"
                      for c, why in sorted(planted.items(), key=lambda kv: int(kv[0][1:])))
            + "\n")
    return head + "\n".join(parts)


# -- measuring -------------------------------------------------------------------------------


def _detectable(text: str, planted: dict[str, str]) -> set[str]:
    """The planted mistakes that contradict the true claims (one exact LP each)."""
    import nkledger
    from nkledger.constraints import compile_ledger
    from nkledger.solver._feasibility import Model

    ledger = nkledger.loads(text)
    system = compile_ledger(ledger)
    rep = {c.id: c.id for c in ledger.claims}
    ks = list(range(len(system.components)))
    model = Model(system, ks, rep)
    true = model.claims - set(planted)
    out = set()
    for c in sorted(planted):
        if c in model.claims:
            v = model.solve(true | {c})
            if v.feasible is False and v.proven:
                out.add(c)
    return out


def _ours(text: str, planted: dict[str, str], time_limit: float, check: bool
          ) -> dict[str, object]:
    import nkledger
    from nkledger.constraints import compile_ledger
    from nkledger.render import render
    from nkledger.solver import _repairs, analyse

    ledger = nkledger.loads(text)
    system = compile_ledger(ledger)
    parts = [c for c in system.components if c.claims]
    trace: list[tuple[str, float]] = []
    _repairs.TRACE = trace
    start = time.monotonic()
    a = analyse(ledger, time_limit=time_limit)
    total = time.monotonic() - start
    _repairs.TRACE = None
    first = next((t for e, t in trace if e == "first"), math.nan) - start
    proven = next((t for e, t in trace if e == "ties"), math.nan) - start
    best = set(a.repairs[0].claims) if a.repairs else set()
    seconds = math.nan
    if check:
        start = time.monotonic()
        report = nkledger.check(ledger)
        render(report, "text")
        seconds = time.monotonic() - start
    return {"claims": len(ledger.claims), "parts": len(parts),
            "biggest": max(len(c.claims) for c in parts),
            "first": first, "proven": proven, "analyse": total, "check": seconds,
            "weight": a.repairs[0].weight if a.repairs else None,
            "lower_bound": a.lower_bound, "optimal": a.optimal, "truncated": a.truncated,
            "conflicts": len(a.conflicts), "repairs": len(a.repairs),
            "identical": sum(len(g) for g in a.identical),
            "found": sorted(best & set(planted)), "cut": list(a.cut),
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def _baseline(text: str, limit: float) -> dict[str, object]:
    """The plain formulation: one MILP, a binary per claim, big-M rows, HiGHS."""
    import highspy
    import numpy as np

    import nkledger
    from nkledger.constraints import compile_ledger
    from nkledger.solver._highs import highs

    ledger = nkledger.loads(text)
    system = compile_ledger(ledger)
    weights = {c.id: ledger.source(c.source).weight for c in ledger.claims}
    comp = max(system.components, key=lambda c: len(c.claims))
    scale = comp.scale
    cols = list(comp.variables)
    at = {v: i for i, v in enumerate(cols)}
    claims = sorted(comp.claims)
    cat = {c: len(cols) + i for i, c in enumerate(claims)}
    n = len(cols) + len(claims)
    box = 1e4  # scale units: ten times the largest figure
    h = highs()
    lower = [0.0 if system.variables[v].nonnegative else -box for v in cols] + [0.0] * len(claims)
    h.addVars(n, np.array(lower), np.array([box] * len(cols) + [1.0] * len(claims)))
    h.changeColsIntegrality(len(claims), np.array(list(cat.values()), dtype=np.int32),
                            np.full(len(claims), int(highspy.HighsVarType.kInteger),
                                    dtype=np.uint8))
    h.changeColsCost(len(claims), np.array(list(cat.values()), dtype=np.int32),
                     np.array([weights[c] for c in claims]))
    shift = -scale.adjusted()
    for i in comp.rows:
        row = system.rows[i]
        idx = [at[j] for j, _ in row.terms]
        val = [float(c) for _, c in row.terms]
        lo = float(row.low.scaleb(shift)) if row.low.is_finite() else -math.inf
        hi = float(row.high.scaleb(shift)) if row.high.is_finite() else math.inf
        lo += 1e-6 if row.open_low else 0.0
        hi -= 1e-6 if row.open_high else 0.0
        if row.claim is None:
            h.addRow(lo, hi, len(idx), np.array(idx, dtype=np.int32), np.array(val))
            continue
        reach = sum(abs(v) for v in val) * box
        z = cat[row.claim]
        if math.isfinite(lo):  # a·x + M·z ≥ lo
            m = reach + abs(lo)
            h.addRow(lo, math.inf, len(idx) + 1, np.array([*idx, z], dtype=np.int32),
                     np.array([*val, m]))
        if math.isfinite(hi):  # a·x − M·z ≤ hi
            m = reach + abs(hi)
            h.addRow(-math.inf, hi, len(idx) + 1, np.array([*idx, z], dtype=np.int32),
                     np.array([*val, -m]))
    h.setOptionValue("time_limit", limit)
    h.setOptionValue("mip_rel_gap", 0.0)
    # as tight as the old solver ran HiGHS: looser, z trickles (z = 1e-7 relaxes a row by
    # M·1e-7) and the "optimum" drops fewer claims than any real repair
    h.setOptionValue("mip_feasibility_tolerance", 1e-9)
    h.setOptionValue("primal_feasibility_tolerance", 1e-9)
    start = time.monotonic()
    first: list[float] = []

    def improving(*_: object) -> None:
        if not first:
            first.append(time.monotonic() - start)

    with contextlib.suppress(AttributeError):  # no callbacks: first is unknown
        h.cbMipImprovingSolution.subscribe(improving)
    h.run()
    seconds = time.monotonic() - start
    status = h.getModelStatus()
    info = h.getInfo()
    return {"first": first[0] if first else math.nan, "seconds": seconds,
            "optimal": status == highspy.HighsModelStatus.kOptimal,
            "weight": info.objective_function_value, "bound": info.mip_dual_bound,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def _child(args: argparse.Namespace) -> None:
    text, planted = generate(args.size, args.seed)
    if args.child == "ours":
        out = _ours(text, planted, args.time_limit, args.size <= args.check_up_to)
        out["planted"] = len(planted)
        out["detectable"] = len(_detectable(text, planted) & set(planted))
        out["found_detectable"] = len(set(out["found"]) & _detectable(text, planted))  # type: ignore[arg-type]
    else:
        out = _baseline(text, args.baseline_limit)
    print(json.dumps(out))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=list(SIZES))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--time-limit", type=float, default=600.0)
    parser.add_argument("--baseline-limit", type=float, default=600.0)
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--check-up-to", type=int, default=1000,
                        help="time the whole `nkledger check` only up to this size "
                             "(its pairwise checks take minutes beyond)")
    parser.add_argument("--write-toml", type=Path)
    parser.add_argument("--child", choices=("ours", "baseline"))
    parser.add_argument("--size", type=int)
    args = parser.parse_args()
    if args.child:
        _child(args)
        return
    if args.write_toml:
        text, planted = generate(400, args.seed)
        args.write_toml.write_text(text, encoding="utf-8")
        print(f"wrote {args.write_toml}: 400 claims, {len(planted)} planted mistakes")
        return
    print("| claims | years | identical | planted (detectable) | first repair s | proven + ties s "
          "| analyse s | check s | peak MB | weight (bound) | found | baseline first s "
          "| baseline s | baseline MB | speed-up |")
    print("|---:" * 15 + "|")
    for size in args.sizes:
        rows = {}
        for who in ("ours",) + (() if args.no_baseline else ("baseline",)):
            cmd = [sys.executable, __file__, "--child", who, "--size", str(size), "--seed",
                   str(args.seed), "--time-limit", str(args.time_limit), "--baseline-limit",
                   str(args.baseline_limit), "--check-up-to", str(args.check_up_to)]
            done = subprocess.run(cmd, capture_output=True, text=True, check=False,
                                  env={**os.environ, "PYTHONHASHSEED": "0"})
            if done.returncode:
                print(done.stderr, file=sys.stderr)
                rows[who] = None
            else:
                rows[who] = json.loads(done.stdout.strip().splitlines()[-1])
        o, b = rows["ours"], rows.get("baseline")
        assert o is not None
        years = YEARS.get(size, 0)
        check = "–" if math.isnan(o["check"]) else f"{o['check']:.2f}"
        base = ("–", "–", "–", "–") if b is None else (
            f"{b['first']:.1f}", f"{b['seconds']:.1f}{'' if b['optimal'] else ' (limit)'}",
            f"{b['peak_mb']:.0f}",
            f"{b['seconds'] / o['proven']:.2g}×{'' if b['optimal'] else ' (at least)'}")
        print(f"| {o['claims']:,} | {years} | {o['identical']} | {o['planted']} "
              f"({o['detectable']}) | {o['first']:.2f} | {o['proven']:.2f} | "
              f"{o['analyse']:.2f} | {check} | {o['peak_mb']:.0f} | "
              f"{o['weight']:g} ({o['lower_bound']:g}) | {o['found_detectable']}/"
              f"{o['detectable']} | {' | '.join(base)} |", flush=True)
        if o["cut"]:
            print(f"<!-- {size}: cut: {o['cut']} -->", flush=True)


if __name__ == "__main__":
    main()
