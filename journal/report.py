"""Terminal reports: the overdue and reciprocity views as JSON-ready dicts and as text tables.

Pure: returns strings and dicts; the CLI prints them.
"""

from __future__ import annotations

from datetime import date

from . import names, views
from .assemble import Records
from .model import ME, MET, Commitment, Journal
from .problems import Problem, terminal_safe
from .text import day_and_time, fold, plural


def warnings(journal: Journal, today: date) -> list[Problem]:
    """What `journal check` points out in a journal that loads: worth a look, never a reason
    to stop. A promise to introduce or refer someone who said no (consent: no) cannot be kept."""
    found = []
    for c in views.declined_introductions(journal, today):
        how = (
            f"'releases: [{c.id}]' to a later note"
            if c.id
            else f"'dropped: {journal.name_of(c.introducing)} declined' to it"
        )
        found.append(
            Problem(
                c.path,
                c.line,
                (
                    f"release this promise to {journal.name_of(c.to)}: {journal.name_of(c.introducing)} declined to be "
                    f"introduced (consent: no); add {how}"
                ),
                "warning",
            )
        )
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
    """Per contact, in the site's order: the one I owe most first (views.owed_most_first)."""
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
        for row in views.owed_most_first(views.reciprocity(journal, today), journal)
    ]


def table(headers: list[str], rows: list[list[str]], widest: int = 48) -> str:
    """A plain aligned text table; long cells are cut so a row fits a terminal line. Cells
    are made terminal-safe first (the CLI's guard would otherwise lengthen them after they
    were aligned)."""
    rows = [[terminal_safe(cell) for cell in row] for row in rows]
    rows = [[cell if len(cell) <= widest else cell[: widest - 1] + "…" for cell in row] for row in rows]
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
        rows = [
            [str(i["days_overdue"]), name(i["by"]), name(i["to"]), i["what"], i["kind"], f"{i['source']}:{i['line']}"]
            for i in items
        ]
        sections.append(f"{title} ({len(items)})\n" + table(["days", "by", "to", "what", "kind", "source"], rows))

    promises("My overdue promises", data["mine"])
    promises("Their overdue promises", data["theirs"])
    if data["follow_ups"]:
        rows = [[str(f["days_overdue"]), name(f["contact"]), f["met"], f["due"]] for f in data["follow_ups"]]
        sections.append(f"Follow-ups due ({len(rows)})\n" + table(["days", "contact", "met", "due"], rows))
    else:
        sections.append("Follow-ups due: none")
    if data["going_cold"]:
        rows = [
            [str(g["days_since"]), name(g["contact"]), g["last_met"], str(g["cadence"])] for g in data["going_cold"]
        ]
        sections.append(f"Going cold ({len(rows)})\n" + table(["days since", "contact", "last met", "cadence"], rows))
    else:
        sections.append("Going cold: none")
    return f"Overdue as of {today.isoformat()}\n\n" + "\n\n".join(sections)


def reciprocity_text(journal: Journal, today: date) -> str:
    data = reciprocity_data(journal, today)
    mine = word(views.my_reliability(journal, today))
    if not data:
        return f"My word: {mine}\nNothing given or received yet."
    rows = [
        [
            r["name"],
            str(r["given"]),
            str(r["received"]),
            f"{r['balance']:+d}" if r["balance"] else "0",
            r["last_exchange"] or "",
            f"{r['their_kept_on_time']}/{r['their_due']}" if r["their_due"] else "-",
        ]
        for r in data
    ]
    return f"My word: {mine}\n\n" + table(["contact", "gave", "got", "balance", "last", "their word"], rows)


def _reliability_item(r: views.Reliability) -> dict:
    return {
        "fell_due": r.fell_due,
        "kept_on_time": r.kept_on_time,
        "kept_late": r.kept_late,
        "open_overdue": r.open_overdue,
        "dropped": r.dropped,
    }


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def brief_data(journal: Journal, brief: views.Brief) -> dict:
    """`journal brief --json`: promises shaped like `overdue --json`'s items (days_overdue
    negative while not yet due), then the relationship in numbers."""
    return {
        "contact": brief.contact.slug,
        "name": brief.contact.name,
        "owed_by_me": [_commitment_item(o.commitment, o.days_overdue) for o in brief.owed_by_me],
        "owed_to_me": [_commitment_item(o.commitment, o.days_overdue) for o in brief.owed_to_me],
        "last_meetings": [
            {"date": m.date.isoformat(), "title": m.title, "source": m.path, "first_line": m.first_line}
            for m in brief.last_meetings
        ],
        "balance": brief.balance,
        "given": brief.given,
        "received": brief.received,
        "last_exchange": _day(brief.last_exchange),
        "last_met": _day(brief.last_met),
        "days_since": brief.days_since,
        "last_contact": _last_contact_item(brief.last_contact),
        "cadence": brief.cadence,
        "cadence_status": brief.cadence_status,
        "decide_by": _day(brief.decide_by),
        "open_questions": list(brief.open_questions),
        "reliability": {"theirs": _reliability_item(brief.theirs), "mine": _reliability_item(brief.mine)},
        "next_meeting": _next_meeting_item(brief.next_meeting),
        "awaiting_consent": [
            {
                **_commitment_item(o.commitment, o.days_overdue),
                "introducing": o.commitment.introducing,
                "consent": o.commitment.consent or None,
            }
            for o in brief.unconsented
        ],
    }


def _next_meeting_item(upcoming: views.NextMeeting | None) -> dict | None:
    if upcoming is None:
        return None
    return {
        "date": upcoming.date.isoformat(),
        "time": upcoming.time or None,
        "title": upcoming.title,
        "source": upcoming.path,
        "agenda": [{"by": c.by, "to": c.to, "what": c.what, "due": c.due.isoformat()} for c in upcoming.agenda],
    }


def _next_lines(upcoming: views.NextMeeting) -> list[str]:
    """'Next: Fri 18 Dec 12:30 Lunch with Greg.', then what each side brings to it."""
    lines = [f"Next: {day_and_time(upcoming.date, upcoming.time)} {upcoming.title.rstrip('.!?')}."]
    mine = upcoming.brings(ME)
    if mine:
        lines.append("You bring: " + "; ".join(c.what for c in mine) + ".")
    theirs = [c for c in upcoming.agenda if c.by != ME]
    if theirs:
        lines.append("They bring: " + "; ".join(c.what for c in theirs) + ".")
    return lines


def _when(days_overdue: int) -> str:
    """'3 days overdue', 'due today', 'due in 2 days'."""

    def days(n: int) -> str:
        return "1 day" if n == 1 else f"{n} days"

    if days_overdue > 0:
        return f"{days(days_overdue)} overdue"
    return "due today" if days_overdue == 0 else f"due in {days(-days_overdue)}"


def word(r: views.Reliability) -> str:
    """'2 of 3 due kept on time, 1 open and overdue': what a reliability line counts, in
    the words every command and page uses for a promise's outcome."""
    dropped = f"{r.dropped} dropped" if r.dropped else ""
    if not r.fell_due:
        return "nothing due yet" + (f" ({dropped})" if dropped else "")
    parts = [f"{r.kept_on_time} of {r.fell_due} due kept on time"]
    parts += [f"{n} {what}" for n, what in ((r.kept_late, "kept late"), (r.open_overdue, "open and overdue")) if n]
    return ", ".join(parts + ([dropped] if dropped else []))


def _last_contact_item(last: views.LastContact | None) -> dict | None:
    return None if last is None else {"date": last.date.isoformat(), "channel": last.channel, "source": last.path}


def _ago(days: int) -> str:
    return "today" if days == 0 else plural(days, "day") + " ago"


def _met_line(brief: views.Brief) -> str:
    """'Last met 2026-10-27 (27 days ago)', 'First meeting on 2026-12-18' or 'Not met yet',
    then the last contact when it came after, by e-mail or message: '; last contact
    2026-11-20 by email (3 days ago)'."""
    if brief.last_met and brief.days_since is not None:
        line = f"Last met {brief.last_met.isoformat()} ({_ago(brief.days_since)})"
    elif brief.next_meeting:
        line = f"First meeting on {brief.next_meeting.date.isoformat()}"
    else:
        line = "Not met yet"
    last = brief.last_contact
    if last is not None and last.channel not in MET:
        line += f"; last contact {last.date.isoformat()} by {last.channel} ({_ago(last.days_since)})"
    return line


def brief_text(journal: Journal, brief: views.Brief, today: date) -> str:
    """The brief as a few short lines, most pressing first; a part with nothing to say is
    left out, but for the promises (knowing nobody owes anything is worth a line)."""
    name = journal.name_of

    def consent(c: Commitment) -> str:
        if not c.introducing or c.consent == "yes":
            return ""
        return f" ({name(c.introducing)}: {'consent ' + c.consent if c.consent else 'consent not asked'})"

    upcoming = brief.next_meeting

    def promises(title: str, items: tuple[views.Owed, ...], bringing: bool) -> list[str]:
        if not items:
            return (
                [] if bringing else [f"{title}: nothing"]
            )  # 'nothing' above the promises of the next meeting misleads
        return [f"{title} ({len(items)}):"] + [
            f"  {o.commitment.what}{consent(o.commitment)} · {_when(o.days_overdue)}" for o in items
        ]

    met = _met_line(brief)
    status = "" if brief.cadence_status == "not met yet" else f": {brief.cadence_status}"
    lines = [f"Before you meet {brief.contact.name}"]
    lines += _next_lines(upcoming) if upcoming else []
    lines += [f"{met} · every {plural(brief.cadence, 'day')}{status}", ""]
    lines += promises("I owe them", brief.owed_by_me, bool(upcoming and upcoming.brings(ME)))
    lines += promises("They owe me", brief.owed_to_me, bool(upcoming and upcoming.brings(brief.contact.slug)))
    ask = [o for o in brief.unconsented if o.commitment.introducing == brief.contact.slug]
    if ask:
        lines.append(f"Ask them ({len(ask)}):")
        lines += [
            f"  may I introduce them to {name(o.commitment.to)}? ({'consent ' + o.commitment.consent if o.commitment.consent else 'not asked yet'})"
            for o in ask
        ]
    if brief.decide_by:
        lines.append(
            f"Decide by {brief.decide_by.isoformat()} ({_when((today - brief.decide_by).days).removeprefix('due ')})"
        )
    if brief.open_questions:
        lines.append(f"Open questions ({len(brief.open_questions)}):")
        lines += [f"  - {question}" for question in brief.open_questions]
    lines.append("")
    if (brief.given or brief.received) and brief.last_exchange is not None:
        balance = f"{brief.balance:+d}" if brief.balance else "even"
        lines.append(f"Gave {brief.given}, got {brief.received} ({balance}), last {brief.last_exchange.isoformat()}")
    else:
        lines.append("Nothing given or received yet")
    if brief.theirs.fell_due or brief.mine.fell_due:
        lines.append(f"Their word: {word(brief.theirs)} · mine to them: {word(brief.mine)}")
    if brief.last_meetings:
        lines.append("")
        lines.append("Last meeting:" if len(brief.last_meetings) == 1 else "Last meetings:")
        lines += [
            f"  {m.date.isoformat()}  {m.title}{': ' + m.first_line if m.first_line else ''}"
            for m in brief.last_meetings
        ]
    return "\n".join(lines)


def people_data(journal: Journal, records: Records) -> dict:
    """`journal people --json`: everyone, carded or not, and the pairs that look alike."""

    def place(named: names.Named) -> str | None:
        return f"{named.first[0]}:{named.first[1]}" if named.first else None

    return {
        "people": [
            {
                "slug": named.slug,
                "name": named.name,
                "card": named.card or None,
                "notes": named.notes,
                "first_named": place(named),
            }
            for named in sorted(names.everyone(journal, records), key=lambda named: (fold(named.name), named.slug))
        ],
        "look_alike": [
            {"first": pair.first.slug, "second": pair.second.slug, "why": pair.why}
            for pair in names.look_alikes(journal, records)
        ],
    }


def people_text(data: dict) -> str:
    """Everyone in a table, then the look-alikes, each pair on a line."""
    rows = [
        [
            person["name"],
            person["slug"],
            "card" if person["card"] else "-",
            str(person["notes"]),
            person["first_named"] or "",
        ]
        for person in data["people"]
    ]
    text = table(["name", "slug", "card", "notes", "first named"], rows, widest=100) if rows else "Nobody yet."
    by_slug = {person["slug"]: person["name"] for person in data["people"]}
    pairs = data["look_alike"]
    if not pairs:
        return text + "\n\nNo two names look like one person."
    lines = [
        f"  {by_slug[p['first']]} ({p['first']}) · {by_slug[p['second']]} ({p['second']}): {p['why']}" for p in pairs
    ]
    return (
        text + f"\n\nLook alike ({len(pairs)}): one person, or two? A card or 'new:' settles it.\n" + "\n".join(lines)
    )
