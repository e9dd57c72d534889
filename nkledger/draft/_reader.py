"""The reader: sentences and clauses, metric terms, kinds, and the proposals they make."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import date

import attrs

from ..claims import Change, Metric, Rank, parse_rank
from ..exceptions import LedgerError
from ..figures import QUALIFIERS, parse_figure
from ..ledger import Ledger
from ..periods import Period
from ._calendar import _MONTH_RE, _YEAR_RE, _Calendar, _dates, _PeriodFound
from ._figures import _QUALIFIER_RE, _UNITS, Found, find_figures

# -- sentences and clauses --------------------------------------------------------

_ABBREVIATIONS = re.compile(
    r"(?:\b[A-Z]|\bU\.S|\bU\.N|\bU\.K|\bMr|\bMrs|\bMs|\bDr|\bSt|\bNo|\bvs|\bInc|\bCo|\bCorp|"
    r"\bLtd|\bGov|\bSen|\bRep|\bJan|\bFeb|\bMar|\bApr|\bJun|\bJul|\bAug|\bSept?|\bOct|\bNov|"
    r"\bDec|\be\.g|\bi\.e)\.$")
_CLAUSE = re.compile(r",\s+(?:while|whereas|and|but)\s+|;\s+|\s+but\s+|\s+before\s+|"
                     r"\s+while\s+|\s+whereas\s+")


# a sentence that refers back to the previous one's subject
_ANAPHORA = re.compile(
    r"^(?:it|that|this|these|they|the\s+(?:\w+\s+){0,2}?(?:figure|level|total|value|amount|"
    r"rise|increase|recovery|rebound|decline|drop|fall|gain|surge|growth|jump|number))\b",
    re.IGNORECASE)


@attrs.frozen(kw_only=True)
class _Sentence:
    text: str
    headline: bool


def _sentences(text: str) -> Iterator[_Sentence]:
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        headline = not re.search(r"[.!?][”\"’')\]]?$", line)
        start = 0
        for m in re.finditer(r"[.!?][”\"’')\]]?(?=\s+[“\"‘'(\[]?[A-Z0-9])", line):
            if m[0] == "." and _ABBREVIATIONS.search(line[:m.end()]):
                continue
            yield _Sentence(text=line[start:m.end()].strip(), headline=headline)
            start = m.end()
        rest = line[start:].strip()
        if rest:
            yield _Sentence(text=rest, headline=headline)


def _clauses(sentence: str) -> list[tuple[int, int]]:
    cuts = [0]
    for m in _CLAUSE.finditer(sentence):
        cuts.append(m.start())
    cuts.append(len(sentence))
    return [(a, b) for a, b in itertools.pairwise(cuts) if b > a]


# -- metric terms -----------------------------------------------------------------

def _fold(text: str) -> str:
    """Lower case with curly quotes and dashes made plain, keeping every offset."""
    return text.translate(_FOLD).lower()


_FOLD = str.maketrans({"’": "'", "‘": "'", "–": "-", "—": "-", "‐": "-", "‑": "-", "“": '"',
                       "”": '"', "\u00a0": " "})
_FLOW = re.compile(r"^(?P<a>.+?)(?:'s)?\s+(?P<flow>exports|imports|shipments|sales)\s+"
                   r"(?P<dir>to|from)\s+(?P<b>.+)$")
_MIRROR = {("exports", "to"): ("imports", "from"), ("imports", "from"): ("exports", "to"),
           ("shipments", "to"): ("imports", "from"), ("sales", "to"): ("imports", "from")}


def _terms(metrics: Iterable[Metric]) -> list[tuple[str, str, str]]:
    """(folded term, metric id, term as declared), longest first, mirrors added."""
    out: dict[str, tuple[str, str]] = {}
    for metric in metrics:
        for term in metric.terms:
            folded = " ".join(_fold(term).split())
            out.setdefault(folded, (metric.id, term))
    for folded, (metric_id, term) in list(out.items()):
        m = _FLOW.match(folded)
        if m and (m["flow"], m["dir"]) in _MIRROR and "'" not in m["b"]:
            flow, direction = _MIRROR[(m["flow"], m["dir"])]
            out.setdefault(f"{m['b']}'s {flow} {direction} {m['a']}", (metric_id, term))
    return sorted(((f, mid, t) for f, (mid, t) in out.items()), key=lambda x: -len(x[0]))


def _find_terms(folded: str, terms: Sequence[tuple[str, str, str]]
                ) -> list[tuple[int, int, str, str]]:
    hits: list[tuple[int, int, str, str]] = []
    for term, metric_id, declared in terms:
        for m in re.finditer(rf"(?<![\w-]){re.escape(term)}(?![\w-])", folded):
            if not any(a < m.end() and m.start() < b for a, b, _, _ in hits):
                hits.append((m.start(), m.end(), metric_id, declared))
    return sorted(hits)


# -- kinds ------------------------------------------------------------------------

_UP = ("rose|rise|rises|rising|risen|climbed|climb|climbs|climbing|jumped|jump|jumps|jumping|"
       "surged|surge|surges|surging|soared|soar|soars|soaring|grew|grow|grows|growing|grown|"
       "increased|increases|increasing|rebounded|rebounds|rebounding|gained|gains|"
       "expanded|expands|picked up|up")
_DOWN = ("fell|fall|falls|falling|fallen|dropped|drop|drops|dropping|declined|decline|declines|"
         "declining|decreased|decreases|decreasing|slumped|slumps|slumping|plunged|plunges|"
         "plunging|tumbled|tumbles|shrank|shrinks|shrinking|contracted|contracts|slid|slides|"
         "sank|sinks|dipped|dips|down")
_VERB = re.compile(rf"\b(?:(?P<up>{_UP})|(?P<down>{_DOWN}))\b", re.IGNORECASE)
_YOY = re.compile(r"year[\s-]on[\s-]year|on[\s-]year\b|\byoy\b|y/y|a year (?:earlier|ago|before)|"
                  r"from the same (?:month|period|time) (?:a|last|of the previous) year|"
                  r"compared with (?:a|the previous|last) year", re.IGNORECASE)
_MOM = re.compile(r"month[\s-](?:on|to|over)[\s-]month|on[\s-]month\b|m/m|"
                  r"(?:a|the previous|the prior) month(?: earlier| before)?\b|"
                  r"from (?:the month before|a month earlier)", re.IGNORECASE)
_RANK = re.compile(
    rf"(?:(?P<owner>{_MONTH_RE})(?:’s|'s)\s+)?"
    r"(?:(?:the|its|a|their)\s+)?(?P<ext>highest|lowest|biggest|largest|smallest|first\s+"
    r"(?:decline|drop|fall|increase|rise))(?:\s+(?:monthly|annual|quarterly|yearly))?"
    r"(?:\s+(?:level|figure|value|amount|total|reading|tally))?"
    rf"(?:\s+(?P<rel>of|in|since|this)\s+(?P<arg>(?:{_MONTH_RE}\s+)?{_YEAR_RE}|the year|year|"
    r"(?:\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+years))?"
    r"|(?P<n>\d+|two|three|four|five|six|seven|eight|nine|ten)-year\s+(?P<hl>high|low)"
    r"|(?P<rec>record\s+(?:high|low)|all-time\s+(?:high|low)|a\s+record)",
    re.IGNORECASE,
)


@attrs.frozen(kw_only=True)
class Omission:
    """A figure, rank or direction the draft could not turn into a claim, and why."""

    written: str
    sentence: str
    reason: str

    def comment(self) -> str:
        """The omission as a TOML comment line."""
        return f"# not drafted: {self.written!r}: {self.reason}: {self.sentence!r}"



@attrs.frozen(kw_only=True)
class _Proposal:
    metric: str
    period: Period
    kind: str
    value: str | None = None
    change: Change | None = None
    rank: Rank | None = None
    direction: str | None = None
    guesses: tuple[str, ...] = ()

    def key(self) -> tuple[object, ...]:
        what: object
        if self.rank is not None:
            what = (self.rank.extreme, self.rank.scope, self.rank.since)
        elif self.value is not None:
            f = parse_figure(self.value)
            what = (f.value, f.unit, f.qualifier)
        else:
            what = self.direction
        return (self.metric, self.period, self.kind, what,
                None if self.rank is not None else self.change)


class _Reader:
    def __init__(self, text: str, ledger: Ledger, published: date | None) -> None:
        years = [int(m[0]) for m in re.finditer(_YEAR_RE, _strip_dates(text))]
        fallback = max(years) if years else None
        self.calendar = _Calendar(published, fallback)
        self.terms = _terms(ledger.metrics)
        self.published = published
        self.items: list[tuple[_Proposal, str] | Omission] = []
        self.context_metric: tuple[str, str] | None = None
        self.context_period: _PeriodFound | None = None

    def read(self, text: str) -> None:
        for sentence in _sentences(text):
            self.sentence(sentence)

    def sentence(self, s: _Sentence) -> None:
        text = s.text
        clean = _strip_dates(text)
        folded = _fold(clean)
        carried_metric = None if s.headline else self.context_metric
        if carried_metric is not None and find_figures(clean) and not _ANAPHORA.match(clean):
            # "Tourism revenue was $3bn.": a new subject with its own figure
            carried_metric = None
        carried_period = None if s.headline else self.context_period
        sentence_terms = _find_terms(folded, self.terms)
        stated_metric: tuple[str, str] | None = None
        stated_period: _PeriodFound | None = None
        before_items = len(self.items)
        for a, b in _clauses(clean):
            clause = clean[a:b]
            clause_terms = [t for t in sentence_terms if a <= t[0] < b]
            if clause_terms:
                metric: tuple[str, str] | None = (clause_terms[0][2], clause_terms[0][3])
                metric_from = f'"{clause_terms[0][3]}"'
            elif stated_metric is not None:
                metric, metric_from = stated_metric, f'"{stated_metric[1]}" earlier in the sentence'
            elif sentence_terms:
                metric = (sentence_terms[0][2], sentence_terms[0][3])
                metric_from = f'"{sentence_terms[0][3]}"'
            else:
                metric = carried_metric
                metric_from = ("" if metric is None
                               else f'"{metric[1]}" in the previous sentence')
            period_hit = self.clause(text, clause, metric, metric_from,
                                     stated_period or carried_period,
                                     stated_period is None and carried_period is not None)
            if clause_terms:
                stated_metric = metric
            if period_hit is not None:
                stated_period = period_hit
        # a metric carries over one sentence ("It was the highest..."), and on only when
        # that sentence used it
        used = len(self.items) > before_items
        self.context_metric = stated_metric or (carried_metric if used else None)
        self.context_period = stated_period or carried_period

    def clause(self, sentence: str, clause: str, metric: tuple[str, str] | None,
               metric_from: str, inherited: _PeriodFound | None,
               from_previous: bool) -> _PeriodFound | None:
        figures = find_figures(clause)
        ranks = list(_RANK.finditer(clause))
        # words that say something other than the clause's own period: bases, ranks, priors
        masked = clause
        priors: list[tuple[Found, _PeriodFound | None, str]] = []
        for f in figures:
            before = clause[:f.start].rstrip()
            if re.search(r"\bfrom$", before, re.IGNORECASE):
                after = clause[f.end:]
                segment = re.match(r"[^,;]*", after)[0]  # type: ignore[index]
                rel = re.match(r"\s*(?:a year (?:earlier|ago|before)|the previous (?:month|year)|"
                               r"a month (?:earlier|before))", segment, re.IGNORECASE)
                hit = None
                words = ""
                if rel:
                    words = rel[0].strip()
                else:
                    hits = [h for h in self.calendar.find(segment) if h.start < 16]
                    if hits:
                        hit = hits[0]
                        end = hit.start + len(hit.written)
                        words = segment[:end].strip()
                        masked = _mask(masked, f.end + hit.start, f.end + end)
                priors.append((f, hit, words))
        for r in ranks:
            masked = _mask(masked, r.start(), r.end())
        for m in re.finditer(rf"\b(?:from|compared with|against|over|since)\s+(?:the\s+)?"
                             rf"(?:(?:{_MONTH_RE})\s+)?{_YEAR_RE}|\bsince\s+{_MONTH_RE}",
                             masked, re.IGNORECASE):
            masked = _mask(masked, m.start(), m.end())
        for m, base in self.bases(masked):
            masked = _mask(masked, m.start(), m.end() + base.start + len(base.written))
        own = self.calendar.find(masked)
        period = own[0] if own else inherited
        period_note = ""
        if period is not None:
            where = ("the previous sentence" if from_previous and not own
                     else "earlier in the sentence" if not own else "")
            period_note = f'period {period.period} from "{period.written}"'
            if where:
                period_note += f" {where}" if where.startswith("earlier") else f" in {where}"
            if period.year_guessed:
                period_note += (f" (year {period.period.year} guessed from the years the "
                                f"article names)" if self.published is None else "")
            elif self.published is not None and not re.search(r"\d{4}", period.written):
                period_note += f" and the publication date {self.published}"
        basis, basis_note = self.basis(clause, period)

        def propose(kind: str, written: str, **fields: object) -> None:
            if metric is None:
                if kind in ("level", "change"):  # a figure; a bare "rose" is not worth a line
                    self.items.append(Omission(written=written, sentence=sentence,
                                               reason="no metric of the ledger is named"))
                return
            when = fields.pop("period", None) or (None if period is None else period.period)
            if when is None:
                self.items.append(Omission(written=written, sentence=sentence,
                                           reason=f"{kind} of {metric[0]}, but no period "
                                                  f"is stated"))
                return
            guesses = [f"metric {metric[0]} from {metric_from}",
                       str(fields.pop("period_note", period_note)), f"kind {kind}"]
            extra = fields.pop("guess", None)
            if extra:
                guesses.append(str(extra))
            assert isinstance(when, Period)
            self.items.append((_Proposal(metric=metric[0], period=when, kind=kind,
                                         guesses=tuple(g for g in guesses if g),
                                         **fields), sentence))  # type: ignore[arg-type]

        prior_figures = {id(p[0]) for p in priors}
        percents = [f for f in figures if f.figure.is_percent]
        for f in figures:
            if id(f) in prior_figures:
                continue
            fig = f.figure
            if fig.is_percent:
                sign, verb = self.sign(clause, f)
                value = f.value
                if sign < 0 and not fig.number.is_signed():
                    value = "-" + value if fig.qualifier is None else _negate(f.value)
                guess = (f'{"fall" if sign < 0 else "rise"} from "{verb}"' if verb
                         else "a rise: no verb says which way")
                if f.written != f.value:
                    guess += f'; written "{f.written}"'
                propose("change", f.written, value=value, change=basis,
                        guess=f"{basis_note}; {guess}")
            else:
                notes = [f'written "{f.written}"'] if f.written != f.value else []
                if fig.unit not in ("USD", ""):
                    notes.append(f"in {fig.unit}, not US dollars: kept as written")
                propose("level", f.written, value=f.value, guess="; ".join(notes))
        for f, hit, words in priors:
            if period is None and hit is None:
                propose("level", f.written, value=f.value)
                continue
            when = hit.period if hit is not None else None
            if period is not None and (hit is None or re.match(
                    r"(?:in |for )?(?:a year|the previous year)", words, re.IGNORECASE)):
                when = period.period.year_earlier()
            elif hit is not None and period is not None and re.match(
                    r"(?:in |for )?(?:the previous month|a month)", words, re.IGNORECASE):
                when = period.period.previous()
            note = (f'period {when} from "from {f.written} {words}".strip()' if words
                    else f"period {when}: a year before the clause's, guessed")
            propose("level", f.written, value=f.value, period=when,
                    period_note=note.replace(".strip()", ""))
            if period is not None and when is not None and when != period.period:
                if when == period.period.year_earlier():
                    basis, basis_note = "yoy", f'yoy: against "{f.written} {words}"'.strip()
                elif when == period.period.previous():
                    basis, basis_note = "mom", f'mom: against "{f.written} {words}"'.strip()
                elif when < period.period:
                    basis, basis_note = when, f'against {when}, the period of "{f.written}"'
        # a rise or fall stated without a percentage is a direction
        for v in _VERB.finditer(clause):
            word = v[0].lower()
            if word in ("up", "down"):
                after = clause[v.end():]
                if not re.match(r"\s+(?:from\b|" + _QUALIFIER_RE + r"|[$€£₩]|US\$|\d)", after,
                                re.IGNORECASE):
                    continue
            if any(_verb_of(clause, p) == v.start() for p in percents):
                continue
            if any(r.start() <= v.start() < r.end() for r in ranks):
                continue
            if re.search(r"\b(?:the|a|an|this|that|its|their|his|her|such)\s+(?:\S+\s+)?$",
                         clause[:v.start()], re.IGNORECASE) and word not in ("up", "down"):
                continue  # "driving this surge", "a sharp rise in": a noun, not a verb
            direction = "up" if v["up"] else "down"
            change = None if basis_note.startswith("yoy (not stated") else basis
            propose("direction", v[0], direction=direction, change=change,
                    guess=(f'"{v[0]}" read as {direction}; '
                           + (basis_note if change is not None
                              else "against the previous period (not stated)")))
            break
        for r in ranks:
            self.rank(r, propose, period)
        return own[0] if own else None

    def basis(self, clause: str, period: _PeriodFound | None) -> tuple[Change, str]:
        if _MOM.search(clause):
            return "mom", f'mom: "{_MOM.search(clause)[0]}"'  # type: ignore[index]
        if _YOY.search(clause):
            return "yoy", f'yoy: "{_YOY.search(clause)[0]}"'  # type: ignore[index]
        for m, hit in self.bases(clause):
            if period is None:
                break
            base, words = hit.period, f"{m[0]}{hit.written}"
            if base == period.period.year_earlier():
                return "yoy", f'yoy: "{words}"'
            if base == period.period.previous():
                return "mom", f'mom: "{words}"'
            if base < period.period:
                return base, f'against {base}: "{words}"'
        return "yoy", "yoy (not stated; guessed)"

    def bases(self, clause: str) -> Iterator[tuple[re.Match[str], _PeriodFound]]:
        """Each "from June", "compared with the second quarter": a base, not the period."""
        for m in re.finditer(r"\b(?:from|compared with|compared to|against|over)\s+",
                             clause, re.IGNORECASE):
            hits = self.calendar.find(clause[m.end():m.end() + 40])
            if hits and hits[0].start <= 4:
                yield m, hits[0]

    def sign(self, clause: str, f: Found) -> tuple[int, str]:
        start = _verb_of(clause, f)
        if start is None:
            after = re.match(r"\s+(?:(?P<down>decline|drop|fall|decrease|contraction)|"
                             r"(?P<up>increase|rise|gain|jump|growth))\b", clause[f.end:],
                             re.IGNORECASE)
            if after:
                return (-1 if after["down"] else 1), after[0].strip()
            return 1, ""
        v = _VERB.match(clause, start)
        assert v is not None
        return (-1 if v["down"] else 1), v[0]

    def rank(self, r: re.Match[str], propose: object, period: _PeriodFound | None) -> None:
        assert callable(propose)
        when = None if period is None else period.period
        owner_note = ""
        if r["owner"]:
            hits = self.calendar.find(r["owner"])
            if hits:
                when, owner_note = hits[0].period, f'period {hits[0].period} from "{r["owner"]}"'
        if r["rec"]:
            text = "a record" if "low" not in r["rec"].lower() else "record low"
        elif r["hl"]:
            text = f"{'highest' if r['hl'].lower() == 'high' else 'lowest'} in {r['n']} years"
        else:
            ext = " ".join(r["ext"].lower().split())
            ext = {"biggest": "highest", "largest": "highest", "smallest": "lowest"}.get(ext, ext)
            if ext.startswith("first") and not ext.endswith(("decline", "increase")):
                ext = "first decline" if ext.split()[1] in ("drop", "fall") else "first increase"
            rel, arg = r["rel"], r["arg"]
            if rel is None:
                if ext.startswith("first") or ext in ("highest", "lowest"):
                    # "the largest trading partner": no period, not a rank of a figure
                    return
                return
            if rel.lower() in ("this",) or (arg and arg.lower() in ("the year", "year")):
                if when is None:
                    propose("rank", r[0])
                    return
                arg, rel = str(when.year), "of"
            elif re.search(r"years$", arg, re.IGNORECASE):
                n = arg.split()[0].lower()
                arg = n if n.isdigit() else str(_UNITS[n])
                text = f"{ext} in {arg} years"
                arg = ""
            if arg:
                hits = self.calendar.find(arg)
                if not hits:
                    return
                text = f"{ext} {'since' if rel.lower() == 'since' else 'of'} {hits[0].period}"
        if when is None:
            propose("rank", r[0])
            return
        try:
            rank = parse_rank(text, when)
        except LedgerError as exc:
            self.items.append(Omission(written=r[0], sentence=r.string, reason=str(exc)))
            return
        fields: dict[str, object] = {"rank": rank, "guess": f'rank "{text}" from "{r[0]}"'}
        if rank.about_changes:
            fields["change"] = "yoy"
            fields["guess"] = f'rank "{text}" from "{r[0]}"; a decline year-on-year (guessed)'
        if owner_note:
            fields["period_note"] = owner_note
        propose("rank", r[0], period=when, **fields)


def _mask(text: str, start: int, end: int) -> str:
    return text[:start] + " " * (end - start) + text[end:]


def _strip_dates(text: str) -> str:
    for start, end, _ in list(_dates(text)):
        text = _mask(text, start, end)
    return text


def _negate(value: str) -> str:
    f = parse_figure(value)
    assert f.qualifier is not None
    rest = value[len(value) - len(value.lstrip()):]
    for word in sorted(QUALIFIERS[f.qualifier], key=len, reverse=True):
        if rest.lower().startswith(word):
            return f"{rest[:len(word)]} -{rest[len(word):].lstrip()}"
    return "-" + value


def _verb_of(clause: str, f: Found) -> int | None:
    """Where the verb that governs a percentage starts: "dropped 5%", "up 23.3%"."""
    before = clause[:f.start]
    verbs = list(_VERB.finditer(before))
    m = verbs[-1] if verbs else None
    if m is None:
        return None
    gap = before[m.end():]
    if re.fullmatch(r"[\s,]*(?:(?:by|about|around|some|nearly|almost|more than|over|"
                    r"sharply|strongly|a further|an?|year[\s-]on[\s-]year|"
                    r"on[\s-]year|in \d{4})[\s,]*)*", gap, re.IGNORECASE):
        return m.start()
    return None


