"""Terminal reports: the overdue and reciprocity views as JSON-ready dicts and as text tables.

Pure: returns strings and dicts; the CLI prints them.
"""

from __future__ import annotations

from datetime import date

from . import views
from .model import Commitment, Journal
from .problems import Problem


def warnings(journal: Journal, today: date) -> list[Problem]:
    """What `journal check` points out in a journal that loads: worth a look, never a reason
    to stop. A promise to introduce or refer someone who said no (consent: no) cannot be kept."""
    found = []
    for c in views.declined_introductions(journal, today):
        how = f"'releases: [{c.id}]' to a later note" if c.id else f"'dropped: {journal.name_of(c.introducing)} declined' to it"
        found.append(Problem(c.path, c.line, (
            f"release this promise to {journal.name_of(c.to)}: {journal.name_of(c.introducing)} declined to be "
            f"introduced (consent: no); add {how}"), "warning"))
    return found


def _commitment_item(commitment: Commitment, days_overdue: int) -> dict:
    return {
        "by": commitment.by,
        "to": commitment.to,
        "what": commitment.what,
        "kind": commitment.kind,
        "due": commitment.due.isoformat(),
        "days_overdue": days_overdue,
        "source": commitment.path,
        "line": commitment.line,
    }

def overdue_data(journal: Journal, today: date) -> dict:
    mine, theirs = views.overdue_commitments(journal, today)
    return {
        "today": today.isoformat(),
        "mine": [_commitment_item(i.commitment, i.days_overdue) for i in mine],
        "theirs": [_commitment_item(i.commitment, i.days_overdue) for i in theirs],
        "follow_ups": [
            {"contact": f.contact, "met": f.met.isoformat(), "due": f.due.isoformat(), "days_overdue": f.days_overdue}
            for f in views.follow_ups_due(journal, today)
        ],
        "going_cold": [
            {"contact": g.contact, "last_met": g.last_met.isoformat(), "cadence": g.cadence, "days_since": g.days_since}
            for g in views.going_cold(journal, today)
        ],
    }

def reciprocity_data(journal: Journal, today: date) -> list[dict]:
    return [
        {
            "contact": row.contact,
            "name": journal.name_of(row.contact),
            "given": row.given,
            "received": row.received,
            "balance": row.balance,
            "last_exchange": row.last_exchange.isoformat() if row.last_exchange else None,
            "by_kind": row.by_kind,
            "their_due": row.theirs.fell_due,
            "their_kept_on_time": row.theirs.kept_on_time,
        }
        for row in views.reciprocity(journal, today)
    ]

def table(headers: list[str], rows: list[list[str]]) -> str:
    """A plain aligned text table; long cells are cut so a row fits a terminal line."""
    rows = [[cell if len(cell) <= 48 else cell[:47] + "…" for cell in row] for row in rows]
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in rows]
    return "\n".join(lines)

def overdue_text(journal: Journal, today: date) -> str:
    data = overdue_data(journal, today)
    name = journal.name_of
    sections = []

    def promises(title: str, items: list[dict]) -> None:
        if not items:
            sections.append(f"{title}: none")
            return
        rows = [[str(i["days_overdue"]), name(i["by"]), name(i["to"]), i["what"], i["kind"], f'{i["source"]}:{i["line"]}'] for i in items]
        sections.append(f"{title} ({len(items)})\n" + table(["days", "by", "to", "what", "kind", "source"], rows))

    promises("My overdue promises", data["mine"])
    promises("Their overdue promises", data["theirs"])
    if data["follow_ups"]:
        rows = [[str(f["days_overdue"]), name(f["contact"]), f["met"], f["due"]] for f in data["follow_ups"]]
        sections.append(f"Follow-ups due ({len(rows)})\n" + table(["days", "contact", "met", "due"], rows))
    else:
        sections.append("Follow-ups due: none")
    if data["going_cold"]:
        rows = [[str(g["days_since"]), name(g["contact"]), g["last_met"], str(g["cadence"])] for g in data["going_cold"]]
        sections.append(f"Going cold ({len(rows)})\n" + table(["days since", "contact", "last met", "cadence"], rows))
    else:
        sections.append("Going cold: none")
    return f"Overdue as of {today.isoformat()}\n\n" + "\n\n".join(sections)

def reciprocity_text(journal: Journal, today: date) -> str:
    data = sorted(reciprocity_data(journal, today), key=lambda r: (-r["balance"], r["name"].casefold()))
    mine = views.my_reliability(journal, today)
    word = f"{mine.kept_on_time} of {mine.fell_due} kept on time" if mine.fell_due else "no promises due yet"
    if not data:
        return f"My word: {word}\nNothing given or received yet."
    rows = [
        [r["name"], str(r["given"]), str(r["received"]), f'{r["balance"]:+d}' if r["balance"] else "0",
         r["last_exchange"] or "", f'{r["their_kept_on_time"]}/{r["their_due"]}' if r["their_due"] else "-"]
        for r in data
    ]
    return f"My word: {word}\n\n" + table(["contact", "gave", "got", "balance", "last", "their word"], rows)
