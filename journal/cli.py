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

from . import __version__, report
from .build import build
from .load import load
from .problems import Problem, summary
from .scaffold import AlreadyExists, new_contact, new_meeting
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
    return parser


def _print_problems(problems: list[Problem], file_count: int) -> int:
    for problem in problems:
        print(problem, file=sys.stderr)
    print(summary(problems, file_count), file=sys.stderr)
    return 1


def _show_progress(stage: str, done: int, total: int) -> None:
    """One status line on a terminal, rewritten in place: 'parsed 4200/10000 files'."""
    what = "files" if stage == "parsed" else "pages"
    print(f"\r\033[K{stage} {done}/{total} {what}", end="", file=sys.stderr, flush=True)


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
        status = sys.stderr.isatty() and not args.quiet
        result = build(root, out, today, progress=_show_progress if status else None)
        if status:
            print("\r\033[K", end="", file=sys.stderr, flush=True)
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
