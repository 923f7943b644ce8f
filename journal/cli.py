"""The `journal` command: parses arguments, runs a stage, prints, picks the exit status.

The only module that prints or exits (0 ok, 1 problems in the journal, 2 usage). Nothing
in the package imports it. A command imports the stages only it needs, inside its function:
building pulls in Jinja2, Markdown and cryptography, serving watchdog and
http.server, importing vobject, and `journal check` or `overdue` should not wait half a
second for them.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import json
import os
import re
import signal
import sys
import webbrowser
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__, report
from .model import FIRST_DATE, LAST_DATE
from .pipeline import assemble_sources, load, load_cards, load_with_records, parse_entries
from .problems import Problem, summary, terminal_safe
from .publish import (
    DEFAULT_MESSAGE,
    PASSPHRASE_VARIABLE,
    PublishError,
    UnknownRemote,
    check_remote,
    hide_credentials,
    pages_files,
    public_site_id,
    publish,
    remote_url,
)
from .sources import SITE, decode
from .speed.parallel import ordered_map
from .text import fold, plural
from .wikilinks import warnings as wikilink_warnings

if TYPE_CHECKING:
    from .serve import Rebuild

_EVERY_CORE = partial(parse_entries, map=ordered_map)
"""How the commands parse a journal: across the cores when it is big."""


def _date(text: str) -> date:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date like 2026-10-01") from None
    if not FIRST_DATE <= day <= LAST_DATE:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a date from {FIRST_DATE.isoformat()} to {LAST_DATE.isoformat()}"
        )
    return day


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--root", type=Path, default=Path("."), help="journal root (holds entries/); default: current folder"
    )
    parser.add_argument(
        "--today", type=_date, default=None, help="pretend today is YYYY-MM-DD (default: the real date)"
    )


MIN_CHARACTERS = 12
MIN_WORDS = 3
PASSPHRASE_HELP = (
    f"The passphrase comes from the {PASSPHRASE_VARIABLE} environment variable (a CI secret), else it is "
    f"typed twice at a prompt that does not echo. It needs at least {MIN_CHARACTERS} characters and {MIN_WORDS} words, "
    "like 'plum basket orbit violin'. Never in a file, never printed."
)
WEAK_HELP = f"accept a passphrase shorter than {MIN_CHARACTERS} characters or {MIN_WORDS} words"


def _command(commands, name: str, what: str, epilog: str | None = None) -> argparse.ArgumentParser:
    """A subcommand whose one-line help in `journal --help` is also the description its own
    --help starts with."""
    return commands.add_parser(name, help=what, description=what[0].upper() + what[1:] + ".", epilog=epilog)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="journal", description="A personal networking journal: notes in, site out.")
    parser.add_argument("--version", action="version", version=f"journal {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    cmd = _command(commands, "build", "build the site into site/", epilog=f"With --publish: {PASSPHRASE_HELP}")
    _common(cmd)
    cmd.add_argument("--out", type=Path, default=None, help="output folder (default: ROOT/site)")
    cmd.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    cmd.add_argument(
        "--publish",
        action="store_true",
        help="build what 'journal publish' pushes: private values left out, pages encrypted",
    )
    cmd.add_argument("--weak-passphrase", action="store_true", help=WEAK_HELP)

    cmd = _command(
        commands, "publish", "push the private, encrypted site to a branch (GitHub Pages)", epilog=PASSPHRASE_HELP
    )
    _common(cmd)
    cmd.add_argument(
        "--remote", default="origin", help="a remote of the journal's repository, or a URL or path (default: origin)"
    )
    cmd.add_argument("--branch", default="gh-pages", help="the branch to replace (default: gh-pages)")
    cmd.add_argument("--message", default=DEFAULT_MESSAGE, help="the commit message")
    cmd.add_argument(
        "--dry-run",
        action="store_true",
        help=f"show what would be pushed; push nothing (asks no passphrase: without {PASSPHRASE_VARIABLE} it lists the pages by what they hold)",
    )
    cmd.add_argument("--weak-passphrase", action="store_true", help=WEAK_HELP)
    cmd.add_argument(
        "--yes", action="store_true", help="with publish.encrypt: false, publish readable pages without asking"
    )

    cmd = _command(commands, "init", "start a new journal: settings, an example note and card, a publish workflow")
    cmd.add_argument(
        "dir",
        nargs="?",
        type=Path,
        default=None,
        help="the new journal root (default: --root, else the current folder)",
    )
    cmd.add_argument(
        "--root",
        type=Path,
        default=None,
        help="the new journal root, as every command takes it (default: current folder)",
    )
    cmd.add_argument(
        "--today", type=_date, default=None, help="date the example note YYYY-MM-DD (default: the real date)"
    )
    cmd.add_argument(
        "--workflow",
        choices=("free", "pages"),
        default="free",
        help="the GitHub Actions workflow: free pushes the encrypted site to a separate public repository (any plan); pages deploys with GitHub Pages from this repository (a paid plan if it is private) (default: free)",
    )

    cmd = _command(commands, "serve", "preview the site in a browser; rebuild and reload on every save")
    _common(cmd)
    cmd.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000; 0 picks a free one)")
    cmd.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this computer only)"
    )
    cmd.add_argument("--open", action="store_true", help="open the site in your web browser")

    cmd = _command(commands, "check", "validate the journal, write nothing")
    _common(cmd)

    for name, what in (
        ("overdue", "overdue promises, follow-ups and cold relationships"),
        ("reciprocity", "what I gave and got, per contact"),
    ):
        cmd = _command(commands, name, f"print {what}")
        _common(cmd)
        cmd.add_argument("--json", action="store_true", help="print JSON for scripts")

    cmd = _command(
        commands,
        "brief",
        "print what to have in mind before meeting someone: promises both ways, "
        "the last meetings, their word and mine, the balance, the cadence and open questions",
    )
    _common(cmd)
    cmd.add_argument(
        "name", nargs="+", type=str, help='the person\'s name, an alias or their slug, e.g. Linda or "Dana Whitfield"'
    )
    cmd.add_argument("--json", action="store_true", help="print JSON for scripts")

    cmd = _command(
        commands,
        "people",
        "list everyone the journal knows, with a card or without: how many notes name them, where first, "
        "and the names that look like one person",
    )
    _common(cmd)
    cmd.add_argument("--json", action="store_true", help="print JSON for scripts")

    cmd = _command(commands, "new", "create a prefilled meeting note or contact card")
    _common(cmd)
    cmd.add_argument("kind", choices=("meeting", "contact"))
    cmd.add_argument("name", nargs="+", help="the person's name, e.g. Bob Smith (quotes optional)")

    cmd = _command(
        commands,
        "schema",
        "print the JSON Schema of a note's or card's front matter, or of journal.yaml, for editors; "
        "or of the document 'journal export json' writes",
    )
    cmd.add_argument(
        "kind",
        nargs="?",
        choices=("note", "card", "config", "export"),
        default="note",
        help="which file (default: note); export: the JSON export",
    )

    cmd = _command(
        commands,
        "export",
        "write the journal for other tools: json (the whole model), csv (a row per promise, for a spreadsheet) "
        "or vcard (4.0, a card per contact card); private values left out unless --private",
    )
    _common(cmd)
    cmd.add_argument("format", choices=("json", "csv", "vcard"), help="the document to write (README: Export)")
    cmd.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="FILE",
        help="write this file, whole or not at all (default: standard output); an earlier export is replaced",
    )
    cmd.add_argument(
        "--private",
        action="store_true",
        help="include what a publish build leaves out: e-mails, phones, Private sections, private_fields",
    )

    cmd = _command(
        commands,
        "import",
        "create contact cards from a vCard file or LinkedIn's Connections.csv, meeting notes from a calendar "
        "export, or notes of e-mails with your contacts from a mailbox",
    )
    _common(cmd)
    cmd.add_argument("kind", choices=("vcard", "linkedin", "calendar", "mail"))
    cmd.add_argument(
        "file", type=Path, help="the .vcf file, LinkedIn's Connections.csv, the calendar's .ics file or the .mbox file"
    )
    cmd.add_argument("--dry-run", action="store_true", help="show what would be created; write nothing")
    cmd.add_argument(
        "--from", dest="first", type=_date, default=None, help="calendar, mail: the first day (default: 30 days ago)"
    )
    cmd.add_argument(
        "--to", dest="last", type=_date, default=None, help="calendar, mail: the last day (default: 30 days from today)"
    )
    cmd.add_argument("--all-day", action="store_true", help="calendar: import all-day events too")
    return parser


def _print_problems(problems: list[Problem], file_count: int) -> int:
    for problem in problems:
        print(problem, file=sys.stderr)
    print(summary(problems, file_count), file=sys.stderr)
    return 1


def _show_progress(stage: str, done: int, total: int) -> None:
    """One status line on a terminal, rewritten in place: 'parsed 4200/10000 files'."""
    what = "files" if stage == "parsed" else "pages"
    print(f"\r\033[K{stage} {done}/{total} {what}", end="", file=_unguarded(sys.stderr), flush=True)


def _load_or_report(root: Path):
    journal, problems, file_count = load(root, _EVERY_CORE)
    if problems:
        _print_problems(problems, file_count)
        return None
    return journal


class NoPassphrase(Exception):
    """No usable passphrase: not in JOURNAL_PASSPHRASE, and none typed (twice, the same)."""


ATTEMPTS = 3
WEAK_HINT = (
    f"a passphrase needs at least {MIN_CHARACTERS} characters and {MIN_WORDS} words, like "
    "'plum basket orbit violin': anyone can try passphrases against the published pages "
    "as fast as their computers allow"
)


def _words(text: str) -> int:
    """Runs of letters or digits: 'plum-basket orbit' is three words."""
    return len(re.findall(r"[^\W_]+", text))


def weak(passphrase: str) -> bool:
    """Too short or too few words to stand up to guessing: the published pages can be tried
    offline against any number of guesses, and 600,000 PBKDF2 rounds only slow each one."""
    return len(passphrase) < MIN_CHARACTERS or _words(passphrase) < MIN_WORDS


def _passphrase(args: argparse.Namespace) -> str:
    """JOURNAL_PASSPHRASE, else typed at a prompt that does not echo, twice, asked again on a
    mismatch or a weak one (up to three times). Never from a file, never printed. A weak one
    is refused unless --weak-passphrase says it is wanted."""
    allow_weak = args.weak_passphrase
    given = os.environ.get(PASSPHRASE_VARIABLE, "")
    if given:
        if weak(given) and not allow_weak:
            raise NoPassphrase(f"{PASSPHRASE_VARIABLE} is too weak: {WEAK_HINT} (--weak-passphrase uses it anyway)")
        return given
    if not sys.stdin.isatty():
        raise NoPassphrase(f"set {PASSPHRASE_VARIABLE}, or run in a terminal to type the passphrase")
    for _ in range(ATTEMPTS):
        first = getpass.getpass("Passphrase for the published site: ")
        if not first:
            raise NoPassphrase("the passphrase cannot be empty")
        if weak(first) and not allow_weak:
            print(f"Too weak: {WEAK_HINT}. Try again (--weak-passphrase accepts it).", file=sys.stderr, flush=True)
            continue
        if getpass.getpass("Same passphrase again: ") == first:
            return first
        print("The two passphrases differ. Try again.", file=sys.stderr, flush=True)
    raise NoPassphrase(f"none accepted in {ATTEMPTS} tries")


READABLE = (
    "publish.encrypt is false in journal.yaml: the published pages will be readable by anyone who has their address"
)


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


def _publish(args: argparse.Namespace) -> int:
    from .speed.parallel import no_full_collections

    with no_full_collections():  # a whole journal loaded and a whole site made, as a build does
        return _publish_journal(args)


def _publish_journal(args: argparse.Namespace) -> int:
    root, today = args.root, _today(args)
    from .publish import load_journal, published_site

    journal, problems, file_count = load_journal(root)
    if problems:
        return _print_problems(problems, file_count)
    settings = journal.config.publish
    public_id = public_site_id(settings)
    if public_id:
        print(public_id, file=sys.stderr)
    if not args.dry_run:
        check_remote(root, args.remote)  # before the passphrase is asked and the site built
    if args.dry_run and settings.encrypt and not os.environ.get(PASSPHRASE_VARIABLE):
        return _dry_run_without_passphrase(args, root, journal, today, file_count)
    files, problems = published_site(root, journal, today, lambda: _passphrase(args))
    if problems:
        return _print_problems(problems, file_count)
    if not settings.encrypt:
        _confirm_readable(args)
    done = publish(
        root, pages_files(files, settings.cname), args.remote, args.branch, today, args.message, args.dry_run
    )
    if args.dry_run:
        for path in done.files:
            print(path)
        print(
            f"dry run: would replace branch {done.branch} of {done.remote} with commit {done.commit[:12]} ({plural(len(done.files), 'file')}); nothing pushed"
        )
    else:
        print(
            f"published {plural(len(done.files), 'file')} to branch {done.branch} of {done.remote} (commit {done.commit[:12]})"
        )
    return 0


def _dry_run_without_passphrase(args: argparse.Namespace, root: Path, journal, today: date, file_count: int) -> int:
    """What an encrypted publish would push, without asking the passphrase: each page under
    the local name of what it holds (it is pushed sealed, under an opaque address that only
    the passphrase computes), and the files pushed as they are."""
    from .publish import published_listing

    listing, problems = published_listing(root, journal, today)
    if problems:
        return _print_problems(problems, file_count)
    listing += [(path, False) for path in pages_files({}, journal.config.publish.cname)]
    for path, sealed in sorted(listing):
        print(f"{path}  (sealed, at an opaque address)" if sealed else path)
    pages = sum(1 for _, sealed in listing if sealed)
    print(
        f"dry run: would replace branch {args.branch} of {hide_credentials(remote_url(root, args.remote))} with {plural(len(listing), 'file')}, "
        f"{pages} of them sealed with the passphrase; no passphrase asked, nothing pushed "
        f"(with {PASSPHRASE_VARIABLE} set, a dry run shows the exact files and commit)"
    )
    return 0


def _init(args: argparse.Namespace) -> int:
    from .scaffold import init_journal

    if args.dir is not None and args.root is not None and args.dir != args.root:
        print(f"journal init: error: two roots given, {args.dir} and --root {args.root}: give one", file=sys.stderr)
        return 2
    for path, created in init_journal(args.dir or args.root or Path("."), args.today or date.today(), args.workflow):
        print(f"{'created' if created else 'kept existing'} {path}")
    return 0


def _print_rebuild(result: Rebuild) -> None:
    changed = ", ".join(result.changed[:3]) + (
        f" and {len(result.changed) - 3} more" if len(result.changed) > 3 else ""
    )
    prefix = f"{changed} changed: " if changed else ""
    if result.problems and not result.superseded:
        for problem in result.problems:
            print(problem, file=sys.stderr)
        print(
            f"{prefix}{summary(list(result.problems), result.file_count)}; the browser shows them until the next good save",
            file=sys.stderr,
            flush=True,
        )
        return
    if result.adopted:
        print(
            f"took the {plural(result.page_count, 'file')} `journal build` wrote, unchanged since, in {result.seconds:.2f} s; "
            "learning the journal to rebuild on save",
            flush=True,
        )
        return
    if result.learned:
        prefix = f"{prefix}ready to rebuild on save: "
    files, pages = plural(result.parsed, "file"), plural(result.rendered, "page")
    first = ""
    if result.first_pages:
        shown = result.first_pages[0] + (
            f" and {len(result.first_pages) - 1} more" if len(result.first_pages) > 1 else ""
        )
        first = f"{shown} in {result.first_seconds:.2f} s, then "
    if result.superseded:
        rest = "the rest left" if first else "left"
        print(f"{prefix}{first}{rest} to the build of a newer save ({files} parsed)", flush=True)
        return
    print(
        f"{prefix}{first}built {plural(result.page_count, 'file')} in {result.seconds:.2f} s ({files} parsed, {pages} rendered)",
        flush=True,
    )


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

        def ready() -> None:
            print(f"serving {args.root} at {preview.url} (Ctrl-C to stop)", flush=True)
            if args.open:
                webbrowser.open(preview.url)

        try:
            preview.serve_forever(on_build=_print_rebuild, on_ready=ready)
        except KeyboardInterrupt:
            print("stopped", flush=True)
    return 0


def _today(args: argparse.Namespace) -> date:
    return args.today or date.today()


def _build(args: argparse.Namespace) -> int:
    """`journal build [--publish]`: the local site (through the build cache), or the publish
    profile, written to --out."""
    out = args.out or args.root / SITE
    status = sys.stderr.isatty() and not args.quiet
    if args.publish:
        from .publish import build_published

        result = build_published(args.root, out, _today(args), lambda: _passphrase(args))
    else:
        from .build import build

        result = build(args.root, out, _today(args), progress=_show_progress if status else None)
    if status:
        print("\r\033[K", end="", file=_unguarded(sys.stderr), flush=True)
    if result.problems:
        return _print_problems(list(result.problems), result.file_count)
    if not args.quiet and result.report is not None:
        wrote = result.report
        print(
            f"built {plural(result.page_count, 'file')} into {out} ({len(wrote.written)} written, {wrote.unchanged} unchanged, "
            f"{len(wrote.removed)} removed) from {plural(result.file_count, 'entry file')}"
        )
    return 0


def _schema(args: argparse.Namespace) -> int:
    """`journal schema KIND`: reads no journal."""
    if args.kind == "export":
        from .export_schema import export_schema

        print(_json(export_schema()))
        return 0
    from .editor_schema import editor_schema

    print(_json(editor_schema(args.kind)))
    return 0


LEFT_OUT = (
    "journal export: e-mails, phones, Private sections and private_fields left out, as a publish build "
    "leaves them out; --private includes them"
)


def _export(args: argparse.Namespace) -> int:
    """`journal export FORMAT [--out FILE]`: the whole document made before a byte is
    written; a file is replaced whole (write.write_file) or not at all."""
    from . import export
    from .write import file_refusal, write_file

    out = args.out
    refusal = file_refusal(args.root, out) if out is not None else None
    if refusal:
        print(f"journal: cannot write {out}: {refusal}; nothing written", file=sys.stderr)
        return 1
    journal = _load_or_report(args.root)
    if journal is None:
        return 1
    today = _today(args)
    shown = export.profile(journal, today, args.private)
    if args.format == "json":
        data = (_json(export.json_document(shown, today, args.private)) + "\n").encode("utf-8")
    elif args.format == "csv":
        data = export.promises_csv(shown, today)
    else:
        data = export.vcards(shown)
    if out is None:
        _print_bytes(data)
    else:
        try:
            write_file(out, data)
        except OSError as error:
            print(f"journal: cannot write {out}: {error.strerror or error}; nothing written", file=sys.stderr)
            return 1
    if not args.private and export.holds_private(journal):
        print(LEFT_OUT, file=sys.stderr)
    return 0


def _print_bytes(data: bytes) -> None:
    """An export on standard output: its very bytes into a pipe or file (a CSV's byte-order
    mark, a vCard's CRLF), through the terminal guard on a terminal."""
    stream = _unguarded(sys.stdout)
    binary = getattr(stream, "buffer", None)
    if binary is None or stream.isatty():
        sys.stdout.write(data.decode("utf-8"))
        return
    stream.flush()
    binary.write(data)


def _overdue(args: argparse.Namespace) -> int:
    journal = _load_or_report(args.root)
    if journal is None:
        return 1
    today = _today(args)
    print(_json(report.overdue_data(journal, today)) if args.json else report.overdue_text(journal, today))
    return 0


def _reciprocity(args: argparse.Namespace) -> int:
    journal = _load_or_report(args.root)
    if journal is None:
        return 1
    today = _today(args)
    print(_json(report.reciprocity_data(journal, today)) if args.json else report.reciprocity_text(journal, today))
    return 0


def _people(args: argparse.Namespace) -> int:
    """Shown whatever the journal's errors: the look-alikes are what a near-miss error asks
    the user to sort out."""
    journal, records, problems, file_count = load_with_records(args.root, _EVERY_CORE)
    if not (args.root / "entries").is_dir():
        return _print_problems(problems, file_count)
    data = report.people_data(journal, records)
    print(_json(data) if args.json else report.people_text(data))
    errors = [problem for problem in problems if problem.severity == "error"]
    if errors:
        print(f"the journal has {plural(len(errors), 'error')}: 'journal check' lists them", file=sys.stderr)
    return 0


def _brief_command(args: argparse.Namespace) -> int:
    journal = _load_or_report(args.root)
    if journal is None:
        return 1
    return _brief(journal, " ".join(args.name), _today(args), args.json)


def _import_command(args: argparse.Namespace) -> int:
    if args.kind == "calendar":
        return _import_calendar(args)
    if args.all_day or (args.kind != "mail" and (args.first or args.last)):
        print(
            f"journal import {args.kind}: error: --from and --to are for a calendar or a mailbox, --all-day for a calendar",
            file=sys.stderr,
        )
        return 2
    if args.kind == "mail":
        return _import_mail(args)
    journal = _load_or_report(args.root)
    if journal is None:
        return 1
    return _import(args.root, journal, args)


def run(args: argparse.Namespace) -> int:
    """Run the command the arguments name (argparse has checked it is one of COMMANDS)."""
    return COMMANDS[args.command](args)


def _new(args: argparse.Namespace) -> int:
    """A new note or card, whatever state the other notes are in: it needs the cards'
    names (to refuse a second card for one person), not a valid journal."""
    from .scaffold import AlreadyExists, new_contact, new_meeting

    root, today = args.root, _today(args)
    cards, problems = load_cards(root)
    if problems:
        return _print_problems(problems, 0)
    try:
        if args.kind == "meeting":
            path = new_meeting(root, " ".join(args.name), today)
        else:
            names = {fold(name): card.path for card in cards for name in (card.name, *(a.name for a in card.aliases))}
            path = new_contact(root, " ".join(args.name), today, names)
    except AlreadyExists as error:
        print(f"journal: {error}; nothing written", file=sys.stderr)
        return 1
    print(path)
    return 0


def _brief(journal, name: str, today: date, as_json: bool) -> int:
    from .assemble import find_contact
    from .views import brief

    slug, why_not = find_contact(journal, name)
    if slug is None:
        print(f"journal: {why_not}", file=sys.stderr)
        return 1
    found = brief(journal, slug, today)
    if as_json:
        print(_json(report.brief_data(journal, found)))
    else:
        print(report.brief_text(journal, found, today))
    return 0


def _check(args: argparse.Namespace) -> int:
    """Errors and warnings in one list; only errors fail (exit 1)."""
    from .names import near_miss_warnings

    today = _today(args)
    journal, records, problems, file_count = load_with_records(args.root, _EVERY_CORE)
    public_id = public_site_id(journal.config.publish)
    warnings = report.warnings(journal, today) + wikilink_warnings(journal) + near_miss_warnings(journal, records)
    warnings = sorted(warnings + ([public_id] if public_id else []))
    if problems:
        return _print_problems(sorted(problems + warnings), file_count)
    for warning in warnings:
        print(warning, file=sys.stderr)
    if warnings:
        print(summary(warnings, file_count), file=sys.stderr)
    print(
        f"ok: {plural(len(journal.meetings), 'meeting')}, {plural(len(journal.contacts), 'contact')}, "
        f"{plural(len(journal.commitments), 'promise')}"
    )
    return 0


def _import(root: Path, journal, args: argparse.Namespace) -> int:
    """Read the whole file and make every card first: a broken file or a card that would
    not load is reported and nothing is written; a card that cannot be written takes the
    ones written before it away again."""
    from . import importers
    from .scaffold import AlreadyExists, card_text, new_card

    source = str(args.file)
    text, problems = decode(source, args.file.read_bytes())
    if text is not None:
        reader = importers.read_vcards if args.kind == "vcard" else importers.read_linkedin
        people, problems = reader(source, text)
    if any(problem.severity == "error" for problem in problems):
        return _print_problems([p for p in problems if p.severity == "error"], 1)
    for warning in problems:
        print(warning, file=sys.stderr)
    plan = importers.plan_import(journal, people)
    cards = [(person, *importers.card_for(person, args.file.name)) for person in plan.new]
    problems = [
        problem
        for person, fields, body in cards
        for problem in importers.card_problems(person, source, card_text(fields, body))
    ]
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
    print(
        f"{verb} {count} card{'' if count == 1 else 's'}; {len(plan.existing)} already in the journal, left untouched"
    )
    return 0


def _import_days(args: argparse.Namespace, kind: str) -> tuple[date, date] | None:
    """The days an import covers: --from and --to, or 30 days either side of today; None
    (and said) when --from is after --to."""
    today = _today(args)
    first, last = args.first or today - timedelta(days=30), args.last or today + timedelta(days=30)
    if first > last:
        print(f"journal import {kind}: error: --from is after --to", file=sys.stderr)
        return None
    return first, last


def _journal_to_import_into(root: Path):
    """(journal, records) to check the new notes against, or the exit status after printing
    the errors of a journal the import cannot stand beside (warnings do not stop it)."""
    journal, records, problems, file_count = load_with_records(root, _EVERY_CORE)
    if any(problem.severity == "error" for problem in problems):
        return _print_problems(problems, file_count)
    return journal, records


def _import_calendar(args: argparse.Namespace) -> int:
    """`journal import calendar FILE.ics`: every meeting in the window not yet in the journal
    becomes a note. All of them are checked with the journal before any is written."""
    from . import calendar_import as calendar
    from .capture import Directory

    root, today = args.root, _today(args)
    days = _import_days(args, "calendar")
    if days is None:
        return 2
    loaded = _journal_to_import_into(root)
    if isinstance(loaded, int):
        return loaded
    journal, records = loaded
    text, problems = _import_file(args.file, calendar.MOST_BYTES)
    if text is None:
        return _print_problems(problems, 1)
    zone = _zone(journal.config.timezone)
    window = calendar.Window(*days, zone, args.all_day)
    read = calendar.read_calendar(str(args.file), text, window, Directory(journal))
    if any(problem.severity == "error" for problem in read.problems):
        return _print_problems(read.problems, 1)
    plan = calendar.plan_calendar(journal, records.notes, read, str(args.file), today)
    failed = _write_imported(root, plan.notes, read.problems + list(plan.warnings), args.dry_run)
    if failed is None:
        _print_calendar_plan(plan, args.dry_run)
    return failed or 0


def _write_imported(root: Path, notes, warnings: list[Problem], dry_run: bool) -> int | None:
    """Check the new notes with the journal, print the warnings, and write them all (unless a
    dry run), or none: None when done, else the exit status."""
    from .scaffold import AlreadyExists, new_notes

    problems = _with_new_notes(root, notes)
    warnings = warnings + [p for p in problems if p.severity == "warning"]
    if any(problem.severity == "error" for problem in problems):
        _print_problems(sorted(warnings + problems), 1)
        print("nothing written: the new notes would not pass journal check", file=sys.stderr)
        return 1
    for warning in sorted(warnings):
        print(warning, file=sys.stderr)
    if not dry_run:
        try:
            new_notes(root, [(note.path, note.text) for note in notes])
        except (AlreadyExists, OSError) as error:
            why = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
            print(f"journal: cannot write the notes: {why}; nothing written", file=sys.stderr)
            return 1
    return None


def _import_mail(args: argparse.Namespace) -> int:
    """`journal import mail FILE.mbox`: a note per person per day of the messages with
    someone on a card, read a line at a time (a status line on a terminal)."""
    from . import mail_import as mail
    from .capture import Directory

    root = args.root
    days = _import_days(args, "mail")
    if days is None:
        return 2
    loaded = _journal_to_import_into(root)
    if isinstance(loaded, int):
        return loaded
    journal, records = loaded
    window = mail.Window(*days, _zone(journal.config.timezone))
    source = str(args.file)
    try:
        with open(args.file, "rb") as handle:
            progress = _bytes_progress(os.fstat(handle.fileno()).st_size) if sys.stderr.isatty() else None
            lines = iter(lambda: handle.readline(1 << 20), b"")  # a line of a gigabyte is read a megabyte at a time
            read = mail.read_mailbox(
                source, lines, window, Directory(journal), mail.known_messages(records.notes), progress
            )
    except OSError as error:
        return _print_problems([Problem(source, 0, f"cannot read: {error.strerror}")], 1)
    finally:
        if sys.stderr.isatty():
            print("\r\033[K", end="", file=_unguarded(sys.stderr), flush=True)
    if any(problem.severity == "error" for problem in read.problems):
        return _print_problems(read.problems, 1)
    plan = mail.plan_mail(journal, read, source)
    failed = _write_imported(root, plan.notes, read.problems, args.dry_run)
    if failed is None:
        for note in plan.notes:
            print(f"{'would create' if args.dry_run else 'created'}  {note.path}  {note.label}")
        print(mail.summary(plan, read.count, args.dry_run))
    return failed or 0


def _bytes_progress(total: int) -> Callable[[int], None]:
    def show(done: int) -> None:
        print(f"\r\033[Kread {done >> 20}/{total >> 20} MB", end="", file=_unguarded(sys.stderr), flush=True)

    return show


def _import_file(path: Path, most: int) -> tuple[str | None, list[Problem]]:
    """The text of an import file: UTF-8, at most `most` bytes."""
    source = str(path)
    try:
        with open(path, "rb") as handle:
            data = handle.read(most + 1)
    except OSError as error:
        return None, [Problem(source, 0, f"cannot read: {error.strerror}")]
    if len(data) > most:
        return None, [Problem(source, 0, f"the file is over {most // 1_000_000} MB: export fewer months")]
    return decode(source, data)


def _zone(name: str):
    """journal.yaml's timezone (checked when it was read), or None: the machine's."""
    from zoneinfo import ZoneInfo

    return ZoneInfo(name) if name else None


def _with_new_notes(root: Path, notes) -> list[Problem]:
    """What `journal check` would say once `notes` are written: the problems of loading the
    journal with them, a new note's told at its place in the import file (capture.py). Only
    the new notes' warnings: the journal's own were there before."""
    from .capture import as_sources, from_import_file
    from .checks import run_checks
    from .names import near_miss_warnings
    from .sources import read_journal

    config, files, problems = read_journal(root)
    loaded = assemble_sources(config, files + as_sources(notes), problems, _EVERY_CORE)
    _, problems, _ = loaded.checked(run_checks, near_miss_warnings)
    new = {note.path for note in notes}
    return from_import_file((p for p in problems if p.severity == "error" or p.path in new), notes)


def _print_calendar_plan(plan, dry_run: bool) -> None:
    from .calendar_import import summary

    for occurrence, path in plan.existing:
        print(f"exists  {occurrence.title or occurrence.key}: {path}")
    for note in plan.notes:
        print(f"{'would create' if dry_run else 'created'}  {note.path}  {note.label}")
    for person in plan.new_people:
        made_up = " (name made from the address)" if person.made_up else ""
        print(f"new person  {person.name}" + (f" <{person.address}>" if person.address else "") + made_up)
    print(summary(plan, len(plan.notes), dry_run))


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "build": _build,
    "publish": _publish,
    "init": _init,
    "serve": _serve,
    "check": _check,
    "overdue": _overdue,
    "reciprocity": _reciprocity,
    "brief": _brief_command,
    "people": _people,
    "new": _new,
    "schema": _schema,
    "export": _export,
    "import": _import_command,
}
"""Each command's function: it imports and loads only what that command needs."""


class _TerminalGuard:
    """A text stream that writes everything through terminal_safe: names, titles and promises
    come from notes other people wrote, and a name like 'Eve\\x1b]0;PWNED\\x07' printed raw
    would retitle the window or clear the screen. Every command prints through it; the one
    status line that moves the cursor on purpose writes to `unguarded`."""

    def __init__(self, stream) -> None:
        self.unguarded = stream

    def write(self, text: str) -> int:
        return self.unguarded.write(terminal_safe(text))

    def __getattr__(self, name: str):
        return getattr(self.unguarded, name)


@contextlib.contextmanager
def _guarded_output() -> Iterator[None]:
    streams = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _TerminalGuard(sys.stdout), _TerminalGuard(sys.stderr)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = streams


def _unguarded(stream):
    return getattr(stream, "unguarded", stream)


def _json(data) -> str:
    """JSON for a terminal or a pipe: characters a terminal acts on are \\u escapes, which
    JSON reads back as the same text (json.dumps leaves 0x7f-0x9f and the overrides raw)."""
    text = json.dumps(data, indent=2, ensure_ascii=False)
    return _JSON_UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


_JSON_UNSAFE = re.compile(r"[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def main(argv: list[str] | None = None) -> int:
    with _guarded_output():
        return _main(argv)


def _main(argv: list[str] | None) -> int:
    args = _parser().parse_args(argv)
    try:
        status = run(args)
        sys.stdout.flush()  # here, so that a reader gone away is met below, not at exit
        return status
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # the reader stopped reading (`journal overdue --json | head`): that is its choice, not
        # an error to report; the rest of the output goes nowhere, and the status is a
        # SIGPIPE death's, as `cat` would have.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 128 + signal.SIGPIPE
    except NoPassphrase as error:
        print(f"journal: no passphrase: {error}; nothing written", file=sys.stderr)
        return 1
    except NotConfirmed as error:
        print(f"journal: {error}; nothing pushed", file=sys.stderr)
        return 1
    except UnknownRemote as error:
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
