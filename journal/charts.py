"""The geometry of the site's pictures: what each chart shows and where, worked out at build
time so the templates only draw it as inline SVG (no script, no library, nothing fetched).

Pure, like views.py: `today` is an argument and nothing here reads a clock or the disk.
Imports only model and views. Horizontal positions are percentages of the chart's width, so
one drawing fits a phone and a desktop without scaling its text; heights are pixels.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from .model import Commitment, Meeting
from .views import Reciprocity

BALANCE_ROWS = 12
"""Contacts in the balance chart: the most out of balance either way; the table lists all."""
BALANCE_HALF = 42.0
"""Percent of the width the longest bar takes on its side of the axis: the rest holds its count."""

RHYTHM_DAYS = 730
"""How far back a contact's rhythm looks: two years."""
RHYTHM_MIN_DAYS = 183
"""The shortest span drawn: a relationship of a few weeks still gets months to show a gap in."""

WORD_MONTHS = 12
WORD_HEIGHT = 100
"""Pixels of the tallest column in 'my word kept over time'."""


def _percent(part: float, whole: float) -> float:
    return round(100 * part / whole, 2) if whole else 0.0


@dataclass(frozen=True)
class BalanceBar:
    """One contact's row: what I gave (drawn right of the axis) and got (left), as percents."""

    contact: str
    given: int
    received: int
    balance: int
    gave_width: float
    got_width: float


@dataclass(frozen=True)
class BalanceChart:
    bars: tuple[BalanceBar, ...]
    total: int  # contacts with anything given or got, of which len(bars) are drawn


def balance_chart(rows: list[Reciprocity], limit: int = BALANCE_ROWS) -> BalanceChart:
    """The `limit` contacts furthest out of balance (ties: most exchanged, then slug), in the
    table's order, the person I owe most first; bars share one scale, the busiest contact's
    larger side. A contact with only promises, nothing yet given or got, has no bar to draw."""
    exchanged = [r for r in rows if r.given or r.received]
    chosen = sorted(exchanged, key=lambda r: (-abs(r.balance), -(r.given + r.received), r.contact))[:limit]
    chosen.sort(key=lambda r: (r.balance, r.contact))
    scale = max((max(r.given, r.received) for r in chosen), default=0)
    bars = tuple(
        BalanceBar(
            r.contact,
            r.given,
            r.received,
            r.balance,
            round(BALANCE_HALF * r.given / scale, 2) if scale else 0.0,
            round(BALANCE_HALF * r.received / scale, 2) if scale else 0.0,
        )
        for r in chosen
    )
    return BalanceChart(bars, len(exchanged))


@dataclass(frozen=True)
class Dot:
    """A meeting on the timeline."""

    x: float
    on: date


@dataclass(frozen=True)
class Gap:
    """The time between two meetings (or the last one and today) within the drawn span: `x1`
    to `x2`, of which `late_x` to `x2` lies past the cadence (late_x is None when it does not)."""

    x1: float
    x2: float
    late_x: float | None
    days: int
    ongoing: bool  # runs to today: no meeting has ended it yet


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class Rhythm:
    start: date
    today: date
    cadence: int
    dots: tuple[Dot, ...]
    gaps: tuple[Gap, ...]
    ticks: tuple[Tick, ...]

    @property
    def late_gaps(self) -> tuple[Gap, ...]:
        return tuple(gap for gap in self.gaps if gap.late_x is not None)

    @property
    def late_now(self) -> int:
        """Days since the last meeting, when that is longer than the cadence; else 0."""
        last = self.gaps[-1] if self.gaps else None
        return last.days if last and last.ongoing and last.late_x is not None else 0

    @property
    def earlier_late_gaps(self) -> tuple[Gap, ...]:
        """Gaps past the cadence that a meeting ended."""
        return tuple(gap for gap in self.late_gaps if not gap.ongoing)

    @property
    def longest_earlier(self) -> int:
        return max((gap.days for gap in self.earlier_late_gaps), default=0)


def meeting_rhythm(meetings: list[Meeting], cadence: int, today: date) -> Rhythm | None:
    """A contact's meetings (oldest first) over the last two years, against their cadence: a
    dot per meeting and, between one meeting and the next (the last: today), the days past
    the cadence marked late; the decay of a relationship, seen at a glance. The span starts
    at the first meeting when that is more recent, but covers at least six months; None for
    someone never met. Meetings after today are left out: they have not happened."""
    held = [m for m in meetings if m.date <= today]
    if not held:
        return None
    earliest = today - timedelta(days=RHYTHM_DAYS)
    start = max(earliest, min(held[0].date, today - timedelta(days=RHYTHM_MIN_DAYS))).replace(day=1)
    span = (today - start).days

    def x(day: date) -> float:
        return _percent((max(day, start) - start).days, span)

    dots = tuple(Dot(x(m.date), m.date) for m in held if m.date >= start)
    gaps = []
    ends = [m.date for m in held] + [today]
    for index, (begin, end) in enumerate(zip(ends, ends[1:])):
        if end < start or end == begin:
            continue
        due = begin + timedelta(days=cadence)
        late = x(due) if due < end else None
        gaps.append(Gap(x(begin), x(end), late, (end - begin).days, index == len(held) - 1))
    return Rhythm(start, today, cadence, dots, tuple(gaps), _ticks(start, today, x))


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _ticks(start: date, today: date, x) -> tuple[Tick, ...]:
    """Month starts along the axis: every month over a short span, every quarter over a long
    one; January is labelled with its year, so the reader knows where the years turn. Month
    arithmetic on plain numbers: a contact page each, and date formatting was most of the cost."""
    step = 1 if (today - start).days <= 400 else 3
    ticks = []
    year, month = start.year, start.month
    while (year, month) <= (today.year, today.month):
        if (month - 1) % step == 0:
            ticks.append(Tick(x(date(year, month, 1)), str(year) if month == 1 else MONTHS[month - 1]))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return tuple(ticks)


@dataclass(frozen=True)
class MonthColumn:
    """My promises that fell due in one month, by outcome, with their stacked heights in pixels."""

    month: date
    on_time: int
    late: int
    not_kept: int
    on_time_height: float
    late_height: float
    not_kept_height: float

    @property
    def total(self) -> int:
        return self.on_time + self.late + self.not_kept


@dataclass(frozen=True)
class WordChart:
    columns: tuple[MonthColumn, ...]

    @property
    def on_time(self) -> int:
        return sum(c.on_time for c in self.columns)

    @property
    def late(self) -> int:
        return sum(c.late for c in self.columns)

    @property
    def not_kept(self) -> int:
        return sum(c.not_kept for c in self.columns)

    @property
    def total(self) -> int:
        return self.on_time + self.late + self.not_kept


def word_kept(mine: list[Commitment], today: date, months: int = WORD_MONTHS) -> WordChart:
    """My promises that fell due in each of the last `months` months (this one included), by
    the month they fell due: kept on time, kept late, or open and overdue (still open past their
    date). The same promises views.reliability counts: released ones are left out."""
    first = today.replace(day=1)
    starts = [first]
    for _ in range(months - 1):
        starts.insert(0, (starts[0] - timedelta(days=1)).replace(day=1))
    counts = {month: [0, 0, 0] for month in starts}
    for c in mine:
        if c.dropped or not (c.done or c.due < today):
            continue
        bucket = counts.get(c.due.replace(day=1))
        if bucket is not None:
            bucket[0 if c.kept_on_time() else 1 if c.done else 2] += 1
    scale = max((sum(counts[month]) for month in starts), default=0)

    def height(count: int) -> float:
        return round(WORD_HEIGHT * count / scale, 1) if scale else 0.0

    return WordChart(tuple(MonthColumn(month, *counts[month], *(height(n) for n in counts[month])) for month in starts))
