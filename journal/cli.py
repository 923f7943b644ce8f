"""The `journal` command: parses arguments, runs a stage, prints, picks the exit status.

The only module that prints or exits (0 ok, 1 problems in the journal, 2 usage). Nothing
in the package imports it. A command imports the stages only it needs, inside its function:
building pulls in Jinja2, Markdown, icalendar and cryptography, serving watchdog and
http.server, importing vobject, and `journal check` or `overdue` should not wait half a
second for them.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import signal
import sys
import webbrowser
from datetime import date
from pathlib import Path

from typing import TYPE_CHECKING

from . import __version__, report
from .load import load
from .model import FIRST_DATE, LAST_DATE
from .problems import Problem, summary
from .publish import DEFAULT_MESSAGE, PASSPHRASE_VARIABLE, PublishError, pages_files, publish
from .sources import decode
from .text import fold
from .wikilinks import warnings as wikilink_warnings

if TYPE_CHECKING:
    from .serve import Rebuild


def _date(text: str) -> date:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date like 2026-10-01") from None
    if not FIRST_DATE <= day <= LAST_DATE:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date from {FIRST_DATE.isoformat()} to {LAST_DATE.isoformat()}")
    return day


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
    cmd.add_argument("--publish", action="store_true", help="build what 'journal publish' pushes: private values left out, pages encrypted")

    cmd = commands.add_parser("publish", help="push the private, encrypted site to a branch (GitHub Pages)")
    _common(cmd)
    cmd.add_argument("--remote", default="origin", help="a remote of the journal's repository, or a URL or path (default: origin)")
    cmd.add_argument("--branch", default="gh-pages", help="the branch to replace (default: gh-pages)")
    cmd.add_argument("--message", default=DEFAULT_MESSAGE, help="the commit message")
    cmd.add_argument("--dry-run", action="store_true", help="show what would be pushed; push nothing")
    cmd.add_argument("--yes", action="store_true", help="with publish.encrypt: false, publish readable pages without asking")

    cmd = commands.add_parser("init", help="start a new journal: settings, an example note and card, a publish workflow")
    cmd.add_argument("dir", nargs="?", type=Path, default=Path("."), help="the new journal root (default: current folder)")
    cmd.add_argument("--today", type=_date, default=None, help="date the example note YYYY-MM-DD (default: the real date)")

    cmd = commands.add_parser("serve", help="preview the site in a browser; rebuild and reload on every save")
    _common(cmd)
    cmd.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000; 0 picks a free one)")
    cmd.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this computer only)")
    cmd.add_argument("--open", action="store_true", help="open the site in your web browser")

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


class NoPassphrase(Exception):
    """No usable passphrase: not in JOURNAL_PASSPHRASE, and none typed (twice, the same)."""


def _passphrase() -> str:
    """JOURNAL_PASSPHRASE, else typed at a prompt that does not echo. Never from a file,
    never printed."""
    given = os.environ.get(PASSPHRASE_VARIABLE, "")
    if given:
        return given
    if not sys.stdin.isatty():
        raise NoPassphrase("set JOURNAL_PASSPHRASE, or run in a terminal to type the passphrase")
    first = getpass.getpass("Passphrase for the published site: ")
    if not first:
        raise NoPassphrase("the passphrase cannot be empty")
    if getpass.getpass("Same passphrase again: ") != first:
        raise NoPassphrase("the two passphrases differ")
    return first


READABLE = "publish.encrypt is false in journal.yaml: the published pages will be readable by anyone who has their address"


class NotConfirmed(Exception):
    """Readable pages were about to be pushed and nobody said yes."""


def _confirm_readable(args: argparse.Namespace) -> None:
    """Pushing readable pages is allowed, but never by accident: asked on a terminal, and
    without one only with --yes (a script says so once, on purpose)."""
    if args.yes or args.dry_run:
        return
    if not sys.stdin.isatty():
        raise NotConfirmed(f"{READABLE}; pass --yes to publish them anyway")
    print(READABLE, file=sys.stderr)
    try:
        answer = input("Publish readable pages? [y/N] ")
    except EOFError:
        answer = ""
    if answer.strip().lower() not in ("y", "yes"):
        raise NotConfirmed("not confirmed")


def _publish(args: argparse.Namespace, root: Path, today: date) -> int:
    from .build import published_site
    journal, problems, file_count = load(root)
    if not problems:
        files, problems = published_site(root, journal, today, _passphrase)
    if problems:
        return _print_problems(problems, file_count)
    if not journal.config.publish.encrypt:
        _confirm_readable(args)
    done = publish(root, pages_files(files, journal.config.publish.cname), args.remote, args.branch, today, args.message, args.dry_run)
    if args.dry_run:
        for path in done.files:
            print(path)
        print(f"dry run: would replace branch {done.branch} of {done.remote} with commit {done.commit[:12]} ({len(done.files)} files); nothing pushed")
    else:
        print(f"published {len(done.files)} files to branch {done.branch} of {done.remote} (commit {done.commit[:12]})")
    return 0


def _init(args: argparse.Namespace) -> int:
    from .scaffold import init_journal
    for path, created in init_journal(args.dir, args.today or date.today()):
        print(f"{'created' if created else 'kept existing'} {path}")
    return 0


def _print_rebuild(result: Rebuild) -> None:
    changed = ", ".join(result.changed[:3]) + (f" and {len(result.changed) - 3} more" if len(result.changed) > 3 else "")
    prefix = f"{changed} changed: " if changed else ""
    if result.problems and not result.superseded:
        for problem in result.problems:
            print(problem, file=sys.stderr)
        print(f"{prefix}{summary(list(result.problems), result.file_count)}; the browser shows them until the next good save", file=sys.stderr, flush=True)
        return
    files = "1 file" if result.parsed == 1 else f"{result.parsed} files"
    pages = "1 page" if result.rendered == 1 else f"{result.rendered} pages"
    first = ""
    if result.first_pages:
        shown = result.first_pages[0] + (f" and {len(result.first_pages) - 1} more" if len(result.first_pages) > 1 else "")
        first = f"{shown} in {result.first_seconds:.2f} s, then "
    if result.superseded:
        rest = "the rest left" if first else "left"
        print(f"{prefix}{first}{rest} to the build of a newer save ({files} parsed)", flush=True)
        return
    print(f"{prefix}{first}built {result.page_count} files in {result.seconds:.2f} s ({files} parsed, {pages} rendered)", flush=True)


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def _serve(args: argparse.Namespace) -> int:
    from .serve import PortInUse, Preview
    signal.signal(signal.SIGTERM, _interrupt)  # `kill` stops it as cleanly as Ctrl-C
    try:
        preview = Preview(args.root, args.today, args.host, args.port)
    except PortInUse as error:
        print(f"journal: {error}", file=sys.stderr)
        return 1
    with preview:
        _print_rebuild(preview.rebuild())

        def ready() -> None:
            print(f"serving {args.root} at {preview.url} (Ctrl-C to stop)", flush=True)
            if args.open:
                webbrowser.open(preview.url)

        try:
            preview.serve_forever(on_build=_print_rebuild, on_ready=ready)
        except KeyboardInterrupt:
            print("stopped", flush=True)
    return 0


def run(args: argparse.Namespace) -> int:
    if args.command == "init":
        return _init(args)
    root: Path = args.root
    if args.command == "serve":
        return _serve(args)
    today: date = args.today or date.today()
    if args.command == "publish":
        return _publish(args, root, today)
    if args.command == "build":
        from .build import build
        out = args.out or root / "site"
        status = sys.stderr.isatty() and not args.quiet
        result = build(root, out, today, _passphrase if args.publish else None, progress=_show_progress if status else None)
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
        for warning in wikilink_warnings(journal):
            print(warning, file=sys.stderr)
        print(f"ok: {len(journal.meetings)} meetings, {len(journal.contacts)} contacts, {len(journal.commitments)} promises")
    elif args.command == "overdue":
        print(json.dumps(report.overdue_data(journal, today), indent=2, ensure_ascii=False) if args.json else report.overdue_text(journal, today))
    elif args.command == "reciprocity":
        print(json.dumps(report.reciprocity_data(journal, today), indent=2, ensure_ascii=False) if args.json else report.reciprocity_text(journal, today))
    elif args.command == "new":
        from .scaffold import AlreadyExists, new_contact, new_meeting
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
    """Read the whole file and make every card first: a broken file or a card that would
    not load is reported and nothing is written; a card that cannot be written takes the
    ones written before it away again."""
    from . import importers
    from .scaffold import AlreadyExists, card_text, new_card
    source = str(args.file)
    text, problems = decode(source, args.file.read_bytes())
    if not problems:
        reader = importers.read_vcards if args.kind == "vcard" else importers.read_linkedin
        people, problems = reader(source, text)
    if any(problem.severity == "error" for problem in problems):
        return _print_problems([p for p in problems if p.severity == "error"], 1)
    for warning in problems:
        print(warning, file=sys.stderr)
    plan = importers.plan_import(journal, people)
    cards = [(person, *importers.card_for(person, args.file.name)) for person in plan.new]
    problems = [problem for person, fields, body in cards for problem in importers.card_problems(person, source, card_text(fields, body))]
    if problems:
        return _print_problems(problems, 1)
    for person, why in plan.existing:
        print(f"exists  {person.name}: {why}")
    written: list[Path] = []
    done: list[str] = []
    for person, fields, body in cards:
        if args.dry_run:
            done.append(f"would create  {person.name}")
            continue
        try:
            path = new_card(root, fields, body)
        except AlreadyExists as error:
            done.append(f"skipped  {person.name}: {error}")
            continue
        except OSError as error:
            for path in written:
                path.unlink(missing_ok=True)
            why = f"cannot write the card for '{person.name}': {error.strerror}; nothing written"
            return _print_problems([Problem(source, person.line, why)], 1)
        written.append(path)
        done.append(f"created  {path.relative_to(root).as_posix()}  {person.name}")
    for line in done:
        print(line)
    verb = "would create" if args.dry_run else "created"
    count = len(plan.new) if args.dry_run else len(written)
    print(f"{verb} {count} card{'' if count == 1 else 's'}; {len(plan.existing)} already in the journal, left untouched")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return run(args)
    except KeyboardInterrupt:
        return 130
    except NoPassphrase as error:
        print(f"journal: no passphrase: {error}; nothing written", file=sys.stderr)
        return 1
    except NotConfirmed as error:
        print(f"journal: {error}; nothing pushed", file=sys.stderr)
        return 1
    except PublishError as error:
        print(f"journal: git: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"journal: {error.strerror or error}: {error.filename or ''}".rstrip(": "), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
