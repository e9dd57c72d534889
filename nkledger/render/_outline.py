"""The outline every table format shares; each format supplies the primitives.

A document is built top-down by :meth:`Document.build`; subclasses say how a heading,
a paragraph, a list, a table and a picture look, and escape whatever comes from the
ledger. Texts reach the primitives as plain strings: no format-specific markup is ever
mixed into ledger text, so a primitive can escape all of its input.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from ..claims import Claim
from ..figures import format_range
from ..findings import Finding
from ..intervals import Interval
from ..problems import (
    Culprit,
    Problem,
    carried,
    notable_implied,
    same_story,
    scorecard,
    story_label,
)
from ..report import Report
from ..results import Implied


def span(interval: Interval | None, unit: str) -> str:
    """An interval for a reader, rounded outward: ``$150.55m–$150.85m``, ``at least $6.5bn``."""
    return "" if interval is None else format_range(interval, unit)


def bounds(low: Decimal | None, high: Decimal | None, unit: str) -> str:
    """An implied figure's ends, either of which may be unbounded (None)."""
    big = Decimal("Infinity")
    return span(Interval(-big if low is None else low, big if high is None else high), unit)


def implied_row(implied: Implied) -> tuple[str, str, str]:
    """An implied figure's row of the report's table: metric, period, interval."""
    return (implied.metric, str(implied.period), bounds(implied.low, implied.high,
                                                        implied.unit))


def _plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


def _and(items: Sequence[str], word: str = "and") -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {word} {items[-1]}"


class Document:
    """Builds a report in one format from the outline; subclasses give the primitives."""

    def __init__(self, report: Report, *, all: bool = False) -> None:
        self.report = report
        self.all = all
        self.parts: list[str] = []

    # -- primitives ---------------------------------------------------------------------

    def heading(self, text: str, level: int = 2) -> None:
        raise NotImplementedError

    def paragraph(self, text: str) -> None:
        raise NotImplementedError

    def items(self, entries: Sequence[Sequence[str]], ordered: bool = False,
              title: str = "", follow: bool = False) -> None:
        """A list, with a title line if given; each entry is lines of plain text.

        *follow* says the list belongs with what precedes it (a terminal shows no gap).
        """
        raise NotImplementedError

    def table(self, headers: Sequence[str], rows: Iterable[Sequence[object]],
              wrap: Sequence[int] = ()) -> None:
        raise NotImplementedError

    def aside(self, text: str) -> None:
        """A sentence under a table or list, about it."""
        self.paragraph(text)

    def picture(self, problem: Problem) -> None:
        """A picture of *problem* (only HTML draws one)."""

    def finish(self, title: str) -> str:
        return "\n\n".join(self.parts) + "\n"

    # -- the outline --------------------------------------------------------------------

    def build(self) -> str:
        r = self.report
        title = f"nkledger report: {r.ledger.origin or 'ledger'}"
        self.heading(title, 1)
        self.digest()
        for problem in r.problems:
            self.problem(problem)
        if self.all:
            self.joint_tables()
            self.findings()
        self.implied()
        self.outlets()
        self.notes()
        return self.finish(title)

    def label(self, cid: str) -> str:
        return self.report.ledger.source_of(self.report.ledger.claim(cid)).label

    def digest(self) -> None:
        r = self.report
        ledger = r.ledger
        problems = r.problems
        errors = sum(not p.wording for p in problems)
        wording = len(problems) - errors
        if r.consistent and not problems:
            verdict = "every claim can hold together."
        elif r.consistent:
            verdict = ("every claim can hold together under this reading; "
                       + _plural(wording, "problem") + " of wording under another reading.")
        else:
            kinds = []
            if errors:
                kinds.append(_plural(errors, "error"))
            if wording:
                kinds.append(f"{wording} of wording, not error")
            verdict = f"the claims cannot all be true: {_and(kinds)}."
        counts = r.verdicts()
        listed = "listed with --all" if not self.all else "listed below"
        outlets = len({s.label for s in ledger.sources})
        if not r.joint:
            cut = "Joint analysis not run: pairwise checks only."
        elif r.cut:
            cut = "Cut short: " + "; ".join(r.cut) + "."
        elif r.truncated:
            cut = ("Cut short: there may be more conflict sets or repairs than shown (see "
                   "the notes).")
        else:
            cut = "Nothing cut short."
        claims = _plural(len(ledger.claims), "claim")
        sources = _plural(len(ledger.sources), "source")
        self.paragraph(
            f"Verdict: {verdict} {claims} from {sources} ({_plural(outlets, 'outlet')}), "
            f"{r.reading} reading. "
            f"{_plural(sum(counts.values()), 'finding')}: {counts['conflict']} conflict, "
            f"{counts['unverifiable']} unverifiable, {counts['consistent']} consistent "
            f"({listed}); {_plural(len(r.conflicts), 'minimal conflict set')}. {cut}")
        if problems:
            self.items(title="Problems:", entries=[
                [f"{'wording, not error' if p.wording else 'error'}: {p.headline}. "
                 f"{self.culprit_summary(p)}"] for p in problems],
                       ordered=True)

    def culprit_summary(self, p: Problem) -> str:
        every = [c.claim for c in p.culprits if c.in_every_repair]
        tied = [c.claim for c in p.culprits if not c.in_every_repair]
        if not p.conflicts and p.other_readings and p.culprits:
            return (f"The reading of {_plural(len(p.culprits), 'claim')} matters, first "
                    f"{self.brief(p.culprits[0].claim)}.")
        out = []
        if every:
            out.append(f"Culprit{'s' if len(every) > 1 else ''}: "
                       f"{_and([self.brief(c) for c in every])}.")
        if len(tied) > 2:
            out.append(f"One of {len(tied)} tied claims, first {self.brief(tied[0])}.")
        elif tied:
            out.append(f"One of: {_and([self.brief(c) for c in tied], 'or')}.")
        if not p.culprits:
            out.append("No repair was found.")
        return " ".join(out)

    def brief(self, cid: str) -> str:
        claim = self.report.ledger.claim(cid)
        figure = (claim.value.text if claim.value is not None else
                  claim.rank.text if claim.rank is not None else str(claim.direction))
        return f"{story_label(self.report.ledger, claim)}’s {figure} ({cid})"

    def problem(self, p: Problem) -> None:
        kind = "wording, not error" if p.wording else "error"
        self.heading(f"Problem {p.number} ({kind}): {p.topic}", 3)
        intro = ""
        if p.wording:
            intro = f"It holds {_under(p)}, not with qualifiers read leniently. "
        elif p.other_readings:
            intro = (f"Also {_plural(len(p.other_readings), 'conflict set')} under another "
                     "reading only. ")
        if p.culprits:
            every = any(c.in_every_repair for c in p.culprits)
            if not p.conflicts and p.other_readings:
                lead = (f"Under the {self.report.reading} reading the claims can all hold; "
                        "the claims whose reading matters:")
            elif every:
                lead = ("Likely culprits, in every best repair first (drop it and the "
                        "problem goes away):")
            else:
                lead = (f"Likely culprits (drop one of these {len(p.culprits)} tied claims "
                        "to solve it):")
            self.paragraph(intro + lead)
            shown, rest = self.split_culprits(self.one_per_story(p.culprits))
            entries = [self.culprit(c, mark=every) for c in shown]
            if rest:
                entries.append([f"Also tied, with no explanation confirmed: "
                                f"{_and([c.claim for c in rest])}."])
            self.items(entries)
        elif intro:
            self.paragraph(intro.strip())
        self.picture(p)
        evidence = self.evidence(p.findings)
        if evidence:
            self.items(evidence, title="Evidence:", follow=True)

    def one_per_story(self, culprits: Sequence[Culprit]) -> list[Culprit]:
        """The culprits, a figure reprinted from one wire story counted once."""
        seen: set[str] = set()
        out = []
        for c in culprits:
            if c.claim in seen:
                continue
            seen.update(self.same_story(self.report.ledger.claim(c.claim)))
            out.append(c)
        return out

    def split_culprits(self, culprits: Sequence[Culprit]) -> tuple[list[Culprit], list[Culprit]]:
        """The culprits to describe in full, and the rest, named in one line.

        In full: a culprit in every best repair, one with a confirmed explanation, the
        first, and all of them when there are two or fewer (or with ``all``).
        """
        if self.all or all(c.diagnosis is None for c in culprits):
            return list(culprits), []
        shown: list[Culprit] = []
        rest: list[Culprit] = []
        for k, c in enumerate(culprits):
            confirmed = c.diagnosis is not None and any(
                e.confirmed for e in c.diagnosis.explanations)
            full = len(culprits) <= 2 or k == 0 or c.in_every_repair or confirmed
            (shown if full else rest).append(c)
        return shown, rest

    def culprit(self, c: Culprit, mark: bool = True) -> list[str]:
        ledger = self.report.ledger
        claim = ledger.claim(c.claim)
        group = next(g for g in carried(ledger, self.same_story(claim)) if c.claim in g.claims)
        ids = ", ".join(group.claims)
        tied = " (tied)" if mark and not c.in_every_repair else ""
        lines = [f"{ids}{tied} — {group.label}: "
                 f"“{claim.quote}”"]
        d = c.diagnosis
        if d is not None:
            implied = ("The others do not bound it." if d.implied is None else
                       f"The others imply {span(d.implied, d.unit)}.")
            lines[-1] += f" {implied} {d.text}"
        return lines

    def same_story(self, claim: Claim) -> list[str]:
        """*claim* and the claims that repeat its figure from the same story."""
        return same_story(self.report.ledger, claim)

    def evidence(self, findings: Sequence[Finding]) -> list[list[str]]:
        """One entry per distinct finding: repeats of one arithmetic are shown once."""
        seen: dict[tuple[object, ...], list[Finding]] = {}
        for f in findings:
            key = (f.check, f.verdict, f.metric, str(f.period), f.stated, f.implied, f.note)
            seen.setdefault(key, []).append(f)
        out = []
        for group in seen.values():
            f = group[0]
            more = f" (and {len(group) - 1} like it)" if len(group) > 1 else ""
            mark = " [depends on reading]" if f.depends_on_reading else ""
            out.append([f"{f.check}{mark}: {f.explanation}{more}"])
        return out

    def joint_tables(self) -> None:
        r = self.report
        if r.conflicts:
            self.heading("Minimal conflict sets", 3)
            self.table(["#", "claims", "holds under"],
                       [(i, ", ".join(c.claims), ", ".join(c.readings))
                        for i, c in enumerate(r.conflicts, 1)], wrap=(1,))
        if r.sensitive:
            self.heading("Conflicts under another reading only", 3)
            self.table(["#", "claims", "conflict under"],
                       [(i, ", ".join(c.claims), ", ".join(c.readings))
                        for i, c in enumerate(r.sensitive, 1)], wrap=(1,))
        if r.repairs:
            self.heading("Repairs", 3)
            self.table(["rank", "weight", "drop these claims"],
                       [(i, f"{rep.weight:g}", ", ".join(rep.claims))
                        for i, rep in enumerate(r.repairs, 1)], wrap=(2,))

    def findings(self) -> None:
        groups = self.report.by_check()
        if not groups:
            return
        self.heading("Findings by check")
        for check, findings in groups.items():
            counts = {v: sum(f.verdict == v for f in findings)
                      for v in ("conflict", "unverifiable", "consistent")}
            summary = ", ".join(f"{n} {v}" for v, n in counts.items() if n)
            self.heading(f"{check}: {summary}", 3)
            self.table(
                ["verdict", "metric", "period", "stated", "implied", "gap", "explanation"],
                [_finding_row(f) for f in findings], wrap=(6,))

    def implied(self) -> None:
        r = self.report
        total = len(r.implied)
        shown, disagree = notable_implied(r.implied)
        rows: list[tuple[str, ...]] | None = None
        if r.digest is not None and r.digest.implied is not None:
            # a lean report holds only the figures worth showing, and counts the rest
            total, disagree = r.digest.implied, r.digest.disagree
            given = r.digest.rows
            if given is not None and len(given) == len(r.implied):
                # rows written where the items were checked, in the order shown
                pairs = sorted(zip(r.implied, given, strict=True), key=lambda p: (
                    p[0].metric, p[0].period.first, -p[0].period.length))
                rows = [row for _, row in pairs]
        if not total:
            return
        left = total - len(shown) - disagree
        words = []
        if disagree:
            words.append(f"{disagree} the ties disagree on")
        if left:
            words.append(f"{left} reported or uninformative")
        rest = f" Not shown: {_and(words)} (see the JSON)." if words else ""
        if not shown and not words:
            return
        self.heading("Implied figures")
        self.paragraph("Unreported figures the claims bound both ways, alike under every "
                       f"tied best repair.{rest}")
        self.table(["metric", "period", "implied"],
                   rows if rows is not None else [implied_row(i) for i in shown])

    def outlets(self) -> None:
        r = self.report
        if not r.ledger.sources:
            return
        self.heading("Outlets")
        scores = scorecard(r.ledger, r.problems)
        shown = [o for o in scores if o.in_problems or self.all]
        self.table(["outlet", "claims", "in problems", "culprit", "tied culprit"],
                   [(o.outlet, o.claims, o.in_problems, o.culprits, o.tied) for o in shown])
        quiet = [o for o in scores if o not in shown]
        if quiet:
            who = (quiet[0].outlet if len(quiet) == 1 else
                   f"{len(quiet)} other outlets (listed with --all)")
            self.aside(f"No claim in any problem: {who}, "
                       f"{_plural(sum(o.claims for o in quiet), 'claim')}.")

    def notes(self) -> None:
        r = self.report
        notes = list(r.notes)
        if r.truncated:
            notes.append("An enumeration was cut short: there may be more conflict sets "
                         "or repairs than shown.")
        if notes:
            self.items([[n] for n in notes], title="Notes:")


def _under(p: Problem) -> str:
    if not p.readings:
        return "under no reading"
    return f"under the {_and(list(p.readings))} reading{'s' if len(p.readings) > 1 else ''} only"


def _finding_row(f: Finding) -> tuple[str, ...]:
    verdict = f.verdict + (" *" if f.depends_on_reading else "")
    if f.note:
        verdict += f" ({f.note})"
    return (verdict, f.metric or "", "" if f.period is None else str(f.period),
            span(f.stated, f.unit), span(f.implied, f.unit), span(f.gap, f.unit),
            f.explanation)
