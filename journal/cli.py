"""The `journal` command: parses arguments, runs a stage, prints, picks the exit status.

The only module that prints or exits (0 ok, 1 problems in the journal, 2 usage). Nothing
in the package imports it.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from . import __version__, importers, report
from .build import build
from .load import load
from .problems import Problem, summary
from .scaffold import AlreadyExists, new_card, new_contact, new_meeting
from .sources import decode
from .text import fold


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date like 2026-10-01") from None


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--root", type=Path, default=Path("."), help="journal root (holds entries/); default: current folder")
    parser.add_argument("--today", type=_date, default=None, help="pretend today is YYYY-MM-DD (default: the real date)")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="journal", description="A personal networking journal: notes in, site out.")
    parser.add_argument("--version", action="version", version=f"journal {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    cmd = commands.add_parser("build", help="build the site into site/")
    _common(cmd)
    cmd.add_argument("--out", type=Path, default=None, help="output folder (default: ROOT/site)")
    cmd.add_argument("-q", "--quiet", action="store_true", help="print only problems")

    cmd = commands.add_parser("check", help="validate the journal, write nothing")
    _common(cmd)

    for name, what in (("overdue", "overdue promises, follow-ups and cold relationships"), ("reciprocity", "what I gave and got, per contact")):
        cmd = commands.add_parser(name, help=f"print {what}")
        _common(cmd)
        cmd.add_argument("--json", action="store_true", help="print JSON for scripts")

    cmd = commands.add_parser("new", help="create a prefilled meeting note or contact card")
    _common(cmd)
    cmd.add_argument("kind", choices=("meeting", "contact"))
    cmd.add_argument("name", help="the person's name, e.g. \"Bob Smith\"")

    cmd = commands.add_parser("import", help="create contact cards from a vCard file or LinkedIn's Connections.csv")
    _common(cmd)
    cmd.add_argument("kind", choices=("vcard", "linkedin"))
    cmd.add_argument("file", type=Path, help="the .vcf file, or LinkedIn's Connections.csv")
    cmd.add_argument("--dry-run", action="store_true", help="show what would be created; write nothing")
    return parser


def _print_problems(problems: list[Problem], file_count: int) -> int:
    for problem in problems:
        print(problem, file=sys.stderr)
    print(summary(problems, file_count), file=sys.stderr)
    return 1


def _load_or_report(root: Path):
    journal, problems, file_count = load(root)
    if problems:
        _print_problems(problems, file_count)
        return None
    return journal


def run(args: argparse.Namespace) -> int:
    root: Path = args.root
    today: date = args.today or date.today()
    if args.command == "build":
        out = args.out or root / "site"
        result = build(root, out, today)
        if result.problems:
            return _print_problems(list(result.problems), result.file_count)
        if not args.quiet:
            written = len(result.report.written)
            print(f"built {result.page_count} files into {out} ({written} written, {result.report.unchanged} unchanged, {len(result.report.removed)} removed) from {result.file_count} entry files")
        return 0
    journal = _load_or_report(root)
    if journal is None:
        return 1
    if args.command == "check":
        print(f"ok: {len(journal.meetings)} meetings, {len(journal.contacts)} contacts, {len(journal.commitments)} promises")
    elif args.command == "overdue":
        print(json.dumps(report.overdue_data(journal, today), indent=2, ensure_ascii=False) if args.json else report.overdue_text(journal, today))
    elif args.command == "reciprocity":
        print(json.dumps(report.reciprocity_data(journal, today), indent=2, ensure_ascii=False) if args.json else report.reciprocity_text(journal, today))
    elif args.command == "new":
        try:
            if args.kind == "meeting":
                path = new_meeting(root, args.name, today)
            else:
                cards = {fold(c.name): c.path for c in journal.contacts if c.has_card}
                cards.update({fold(a): c.path for c in journal.contacts if c.has_card for a in c.aliases})
                path = new_contact(root, args.name, today, cards)
        except AlreadyExists as error:
            print(f"journal: {error}; nothing written", file=sys.stderr)
            return 1
        print(path)
    elif args.command == "import":
        return _import(root, journal, args)
    return 0


def _import(root: Path, journal, args: argparse.Namespace) -> int:
    """Read the whole file first: a broken one is reported and nothing is written."""
    source = str(args.file)
    text, problems = decode(source, args.file.read_bytes())
    if not problems:
        reader = importers.read_vcards if args.kind == "vcard" else importers.read_linkedin
        people, problems = reader(source, text)
    if problems:
        return _print_problems(problems, 1)
    plan = importers.plan_import(journal, people)
    for person, why in plan.existing:
        print(f"exists  {person.name}: {why}")
    created = 0
    for person in plan.new:
        fields, body = importers.card_for(person, args.file.name)
        if args.dry_run:
            print(f"would create  {person.name}")
            continue
        try:
            path = new_card(root, fields, body)
        except AlreadyExists as error:
            print(f"skipped  {person.name}: {error}")
            continue
        created += 1
        print(f"created  {path.relative_to(root).as_posix()}  {person.name}")
    verb = "would create" if args.dry_run else "created"
    count = len(plan.new) if args.dry_run else created
    print(f"{verb} {count} card{'' if count == 1 else 's'}; {len(plan.existing)} already in the journal, left untouched")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return run(args)
    except KeyboardInterrupt:
        return 130
    except OSError as error:
        print(f"journal: {error.strerror or error}: {error.filename or ''}".rstrip(": "), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
