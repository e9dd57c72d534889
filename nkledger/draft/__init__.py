"""Drafting claims from an article's text, for a person to review.

:func:`draft` reads newswire prose and proposes one :class:`~nkledger.claims.Claim` per
figure, rate, rank and direction it states about a metric the ledger declares, each with
``status = "draft"`` and a ``note`` saying what was guessed. Figures about things the
ledger has no metric for, or whose period cannot be told, are kept as
:class:`Omission` s (printed as TOML comments), never dropped silently.

The reader is rule-based and small, on purpose: no network, no model. It works a
sentence at a time, and a sentence a clause at a time (clauses split at ", while", "but",
"before", ";"), because newswire puts one subject with its figures in each clause:

- **metric** — the longest term a ``[[metric]]`` declares (``terms = [...]``) found in the
  clause, else in the sentence, else the previous sentence's (for "It was the highest
  monthly figure since ..."). A term "A's exports to B" also reads as "B's imports from
  A": North Korea's exports to China are China's imports.
- **period** — "in November", "in December alone", "in 2025", "last year", "in the first
  half", "January-June period of 2025", "between January and June 2025", "the third
  quarter"; a month without a year is the latest such month not after the publication
  date (without one, in the latest year the article names). "from $37.6mn a year
  earlier" is a level for the same period a year before.
- **kind** — a percentage is a change (signed by its verb: "dropped 5%" is -5 %), against
  a year earlier unless the text says month-on-month or names the base; money is a
  level; "the highest monthly level of 2025", "the highest monthly figure since October
  2019", "August's first decline of 2025" are ranks; a rise or fall with no percentage
  ("also jumped to $52.7m") is a direction.

The package is a small public face over three rooms: ``_figures`` (money and rates as
written, spelled-out numbers included), ``_calendar`` (dates and period words) and
``_reader`` (sentences, clauses, terms and kinds).

Attention: the reader does not understand the text; it matches words. Every draft says
what it guessed, and stays a draft until a person removes the ``status``.
"""

from __future__ import annotations

import re
from datetime import date

import attrs

from ..claims import Claim, Source
from ..exceptions import LedgerError
from ..figures import parse_figure
from ..ledger import Ledger
from ._calendar import published_date
from ._figures import Found, find_figures
from ._reader import Omission, _fold, _Reader

__all__ = ["Drafted", "Found", "Omission", "claim_fields", "draft", "find_figures",
           "published_date", "source_fields"]


@attrs.frozen(kw_only=True)
class Drafted:
    """What :func:`draft` read in one article: the source, its draft claims, the rest."""

    source: Source
    new_source: bool
    claims: tuple[Claim, ...]
    omitted: tuple[Omission, ...]
    order: tuple[Claim | Omission, ...]

    def to_toml(self) -> str:
        """The drafts as TOML tables, ready to paste or append, omissions as comments."""
        from ..edit import render_table

        blocks: list[str] = []
        if self.new_source:
            blocks.append(render_table("source", source_fields(self.source)))
        for item in self.order:
            if isinstance(item, Omission):
                blocks.append(item.comment())
            else:
                blocks.append(render_table("claim", claim_fields(item)))
        return "\n\n".join(blocks) + "\n" if blocks else ""


def source_fields(s: Source) -> list[tuple[str, object]]:
    """A source's keys in the order a ledger file writes them."""
    return [("id", s.id), ("outlet", s.outlet), ("published", s.published), ("title", s.title),
            ("url", s.url), ("cites", s.cites), ("origin", s.origin),
            ("weight", None if s.weight == 1.0 else s.weight), ("basis", s.basis),
            ("file", s.file), ("note", s.note)]


def claim_fields(c: Claim) -> list[tuple[str, object]]:
    """A claim's keys in the order a ledger file writes them."""
    return [("id", c.id), ("source", c.source), ("metric", c.metric), ("period", str(c.period)),
            ("change", None if c.change is None else str(c.change)),
            ("value", None if c.value is None else c.value.text),
            ("rank", None if c.rank is None else c.rank.text), ("direction", c.direction),
            ("low", None if c.low is None else c.low.text),
            ("high", None if c.high is None else c.high.text), ("basis", c.basis),
            ("status", c.status), ("note", c.note), ("quote", c.quote)]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", _fold(text)).strip("-")


def draft(
    text: str,
    ledger: Ledger,
    *,
    source: str | None = None,
    outlet: str | None = None,
    published: date | None = None,
    url: str | None = None,
    file: str | None = None,
) -> Drafted:
    """Draft claims for every figure *text* states about *ledger*'s metrics.

    Args:
        source: the id of the source the claims cite; an existing source of the ledger
            is used as it is, else a new ``[[source]]`` is drafted (id from the outlet and
            date when not given).
        published: the publication date; read from the text when it says so.
        file: the article's path relative to the ledger, kept on a new source.

    Returns:
        The drafts, in the article's order, with the figures that could not be drafted.
    """
    existing = None
    if source is not None:
        existing = next((s for s in ledger.sources if s.id == source), None)
    guessed: list[str] = []
    if published is None and existing is not None:
        published = existing.published
    if published is None:
        found = published_date(text)
        if found is not None:
            published, words = found
            guessed.append(f'published {published} from "{words}"')
    if existing is not None:
        src, new = existing, False
    else:
        ident = source or "-".join(
            p for p in (_slug(outlet or "draft"), str(published or "")) if p)
        taken = {s.id for s in ledger.sources}
        base, n = ident, 2
        while ident in taken:
            ident, n = f"{base}-{n}", n + 1
        src = Source(id=ident, outlet=outlet, published=published, url=url, file=file,
                     note=("Drafted by nkledger draft; " + "; ".join(guessed) + "."
                           if guessed else "Drafted by nkledger draft."))
        new = True
    reader = _Reader(text, ledger, published)
    reader.read(text)
    return _finish(reader, ledger, src, new)


def _finish(reader: _Reader, ledger: Ledger, src: Source, new: bool) -> Drafted:
    seen: set[tuple[object, ...]] = set()
    ids = {c.id for c in ledger.claims}
    order: list[Claim | Omission] = []
    proposals = [i for i in reader.items if not isinstance(i, Omission)]
    explicit_ranks = {(p.metric, p.period, p.rank.extreme) for p, _ in proposals
                      if p.rank is not None and " in " not in p.rank.text}
    suffix = {"level": "", "change": "", "rank": "-rank", "direction": ""}
    # drafting an article again adds nothing its source's claims already say
    already = {} if new else {_said(c): c.id for c in ledger.claims if c.source == src.id}
    for item in reader.items:
        if isinstance(item, Omission):
            order.append(item)
            continue
        p, sentence = item
        if p.rank is not None and " in " in p.rank.text and \
                (p.metric, p.period, p.rank.extreme) in explicit_ranks:
            continue  # "in six years" restates the article's own "since October 2019"
        key = p.key()
        if key in seen:
            continue
        seen.add(key)
        if key[:4] in already:
            written = p.value or (p.rank.text if p.rank else str(p.direction))
            order.append(Omission(written=written, sentence=sentence,
                                  reason=f"already in the ledger as claim {already[key[:4]]!r}"))
            continue
        tail = suffix[p.kind]
        if p.kind == "change":
            tail = f"-{p.change}" if p.change in ("yoy", "mom") else "-change"
        elif p.kind == "direction":
            tail = f"-{p.direction}"
        if p.kind == "level" and p.value is not None:
            unit = parse_figure(p.value).unit
            tail = "" if unit in ("USD", "") else f"-{unit.lower()}"
        base = f"{src.id}-{p.period}-{p.metric}{tail}"
        ident, n = base, 2
        while ident in ids:
            ident, n = f"{base}-{n}", n + 1
        ids.add(ident)
        try:
            claim = Claim(
                id=ident, source=src.id, metric=p.metric, period=p.period, quote=sentence,
                value=None if p.value is None else parse_figure(p.value), change=p.change,
                rank=p.rank, direction=p.direction,  # type: ignore[arg-type]
                status="draft", note="Guessed: " + "; ".join(p.guesses) + ".",
            )
        except LedgerError as exc:  # pragma: no cover - the reader builds valid claims
            order.append(Omission(written=p.value or "", sentence=sentence, reason=str(exc)))
            continue
        order.append(claim)
    claims = tuple(c for c in order if isinstance(c, Claim))
    omitted = tuple(o for o in order if isinstance(o, Omission))
    return Drafted(source=src, new_source=new, claims=claims, omitted=omitted,
                   order=tuple(order))


def _said(c: Claim) -> tuple[object, ...]:
    """What a claim says, as a draft's key does: metric, period, kind and figure."""
    what: object
    if c.rank is not None:
        what = (c.rank.extreme, c.rank.scope, c.rank.since)
    elif c.value is not None:
        what = (c.value.value, c.value.unit, c.value.qualifier)
    else:
        what = c.direction
    return (c.metric, c.period, c.kind, what)
