"""A synthetic journal for the benchmark: N meeting notes, N/3 people, half of them (at random) with a card.

Deterministic: the same N gives the same bytes, so runs compare. Realistic enough to exercise
every stage: 1-3 people and 0-3 promises per note (some done, dropped, introductions with
consent), gifts both ways, tags, about 2.5 KB of Markdown per note, one file in ten with CRLF
line ends and names with accents. People without a card whose names are near a card's are
listed once under `new:`, as the name check asks, so every size builds without problems.

    python bench/corpus.py 1000 /tmp/journal-1k
"""

from __future__ import annotations

import random
import sys
from datetime import date, timedelta
from pathlib import Path

# Names as a real address book has them: first names shared by many people ("Sam Wu", "Sam
# Lee"), surnames shared too, accents, and pairs a letter apart that are different people
# (Maria/Mario, Eric/Erik, Sara/Sarah, Jon/John, Li/Lee, Chan/Chen): the name check must take
# them all as given.
FIRST = [
    "Pat",
    "Bob",
    "Jane",
    "Terry",
    "Ana",
    "Anna",
    "José",
    "Zoë",
    "Chen",
    "Priya",
    "Olu",
    "Märta",
    "Liam",
    "Noor",
    "Sam",
    "Iris",
    "Kofi",
    "Élodie",
    "Raj",
    "Mia",
    "Tomás",
    "Yuki",
    "Dara",
    "Ines",
    "Ravi",
    "Maria",
    "Mario",
    "Eric",
    "Erik",
    "Sara",
    "Sarah",
    "Jon",
    "John",
    "Daniel",
    "Danielle",
    "Brian",
    "Bryan",
    "Alex",
    "Alexandra",
    "Chris",
    "Christine",
    "Dana",
    "Dan",
    "Helen",
    "Ellen",
    "Karl",
    "Carl",
    "Mei",
    "Wei",
    "Lin",
    "Aisha",
    "Fatima",
    "Omar",
    "Hannah",
    "Leah",
    "Lea",
    "Mark",
    "Marc",
    "Nina",
    "Nora",
    "Paul",
    "Paula",
    "Rosa",
    "Rose",
    "Tom",
    "Tim",
    "Uma",
    "Viktor",
    "Victor",
    "Yusuf",
    "Zara",
    "Sofia",
    "Sophia",
    "Kenji",
    "Hiro",
    "Ngozi",
    "Amara",
    "Lucas",
    "Lukas",
    "Emma",
    "Emily",
    "Oscar",
    "Olga",
    "Igor",
    "Ivan",
    "Jana",
    "Jan",
    "Kim",
    "Lee",
    "Grace",
    "Greg",
    "Linda",
]
LAST = [
    "Lee",
    "Li",
    "Smith",
    "Smyth",
    "Nguyen",
    "Díaz",
    "Okafor",
    "Kowalski",
    "Kowalska",
    "Müller",
    "Mueller",
    "Haddad",
    "Rossi",
    "Russo",
    "Silva",
    "Tanaka",
    "Brown",
    "Braun",
    "Øvergaard",
    "Patel",
    "Murphy",
    "Cohen",
    "Cohn",
    "Dubois",
    "Novak",
    "Nowak",
    "Ahmed",
    "Ahmad",
    "Park",
    "Chan",
    "Chen",
    "Wu",
    "Xu",
    "Hu",
    "Wong",
    "Wang",
    "Kim",
    "Garcia",
    "Garza",
    "Martín",
    "Jensen",
    "Jenson",
    "Hansen",
    "Hanson",
    "Olsen",
    "Olson",
    "Schmidt",
    "Schmitt",
    "Fischer",
    "Fisher",
    "Meyer",
    "Meier",
    "Khan",
    "Kahn",
    "Singh",
    "Sharma",
    "Das",
    "Rao",
    "Reyes",
    "Reis",
    "Costa",
    "Santos",
    "Ito",
    "Sato",
    "Kato",
    "Mensah",
    "Owusu",
    "Adeyemi",
    "Bauer",
    "Becker",
    "Walsh",
    "Welsh",
    "Byrne",
    "Burns",
    "Stein",
    "Stone",
    "Bell",
    "Hill",
    "Osei",
    "Brooks",
    "Park-Lee",
    "O'Brien",
    "Mallory",
]
TAGS = [
    "bni",
    "printing",
    "chamber",
    "retail",
    "design",
    "finance",
    "legal",
    "tech",
    "food",
    "events",
    "health",
    "property",
    "music",
    "nonprofit",
    "education",
    "export",
    "crafts",
    "ngo",
]
LAST_DAY = date(2024, 5, 31)  # the benchmark builds as of the day after
KINDS = ["introduction", "referral", "lead", "favor", "follow-up", "other"]
PLACES = ["Rosie's Diner", "the chamber office", "Café Noir", "Zoom", "the BNI breakfast", "their shop"]
WORDS = (
    "printing brochure quarter margin supplier cash flow hiring lease bakery website referral "
    "partner proposal invoice discount launch season market customer growth network mentor "
    "workshop pricing delivery contract renewal budget agency client storefront catalogue"
).split()


def person_names(count: int, seed: int = 7) -> list[str]:
    """`count` distinct full names, first and last drawn at random (with a middle initial
    once every pair is taken), so every first name and surname is shared."""
    rng = random.Random(seed)
    pairs = [(first, last) for first in FIRST for last in LAST]
    rng.shuffle(pairs)
    names = []
    for index in range(count):
        first, last = pairs[index % len(pairs)]
        rounds = index // len(pairs)
        names.append(f"{first} {chr(ord('A') + rounds - 1)}. {last}" if rounds else f"{first} {last}")
    return names


def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def body(rng: random.Random, title: str, people: list[str]) -> str:
    """About 2.5 KB of Markdown: headings, paragraphs, lists, emphasis, a link, a table."""
    parts = [f"# {title}", ""]
    parts += [" ".join(sentence(rng, rng.randint(8, 16)) for _ in range(4)), ""]
    parts += ["## What we discussed", ""]
    parts += [f"- **{rng.choice(WORDS)}**: {sentence(rng, rng.randint(6, 12))}" for _ in range(5)]
    parts += [
        "",
        f"{people[0]} said *{sentence(rng, 6)}* and pointed me to [their site](https://example.com/{rng.randint(1, 999)}).",
        "",
    ]
    parts += ["| item | note |", "|---|---|"]
    parts += [f"| {rng.choice(WORDS)} | {sentence(rng, 5)} |" for _ in range(3)]
    parts += ["", "## Next", ""]
    parts += [f"1. {sentence(rng, rng.randint(6, 10))}" for _ in range(4)]
    parts += ["", " ".join(sentence(rng, rng.randint(10, 18)) for _ in range(5)), ""]
    parts += ["## Private", "", sentence(rng, 14), ""]
    return "\n".join(parts)


def note(rng: random.Random, index: int, day: date, names: list[str]) -> tuple[str, str, list[str]]:
    """(relative path, text, the people it names) of one meeting note. Old promises are
    mostly settled, as in a journal someone keeps up; recent ones are still open."""
    settled = 0.92 if (LAST_DAY - day).days > 60 else 0.55
    people = rng.sample(names, rng.choice([1, 1, 1, 2, 2, 3]))
    named = list(people)
    title = f"Meeting {index} with {people[0]}"
    lines = ["---", f"date: {day.isoformat()} {8 + index % 10:02d}:{(index * 7) % 60:02d}", f'title: "{title}"']
    lines.append(f"with: [{', '.join(people)}]")
    lines.append(f'where: "{rng.choice(PLACES)}"')
    lines.append(f"tags: [{', '.join(rng.sample(TAGS, rng.randint(0, 3)))}]")
    promises = rng.choice([0, 0, 1, 1, 2, 3])
    if promises:
        lines.append("commitments:")
    for _ in range(promises):
        mine = rng.random() < 0.5
        kind = rng.choice(KINDS)
        lines.append(f"  - by: {'me' if mine else rng.choice(people)}")
        lines.append(f'    what: "{sentence(rng, 5)}"')
        if mine:
            lines.append(f"    to: {rng.choice(people)}")
        lines.append(f"    kind: {kind}")
        if kind in ("introduction", "referral"):
            named.append(rng.choice(names))
            lines.append(f"    introducing: {named[-1]}")
            lines.append(f"    consent: {rng.choice(['yes', 'asked', 'no'])}")
        lines.append(f"    due: {rng.choice(['3d', '1w', '2w'])}")
        fate = rng.random()
        if fate < settled - 0.07:
            lines.append(f"    done: {(day + timedelta(days=rng.randint(1, 20))).isoformat()}")
        elif fate < settled:
            lines.append("    dropped: no longer needed")
    for field, key in (("gave", "to"), ("received", "from")):
        if rng.random() < 0.3:
            lines += [
                f"{field}:",
                f"  - {key}: {rng.choice(people)}",
                f'    what: "{sentence(rng, 4)}"',
                f"    kind: {rng.choice(KINDS)}",
            ]
    lines.append("---")
    text = "\n".join(lines) + "\n" + body(rng, title, people)
    path = f"entries/{day.year}/{day.isoformat()}-meeting-{index}.md"
    return path, text, named


def questioned(names: list[str], carded: list[str]) -> set[str]:
    """The names without a card that journal's name check might take for a typo or another
    order of a card's name: those with a word no card uses in that place ('Rose Chan' when a
    card says 'Rose Khan' and none says Chan). A generous superset of what the check asks
    about, so the corpus never depends on its details; a journal's owner lists such people
    once under `new:`, as the check's message says, and so does the corpus."""
    used = {(place, word) for name in carded for place, word in enumerate(name.lower().split())}
    have = set(carded)
    return {
        name
        for name in names
        if name not in have and any((place, word) not in used for place, word in enumerate(name.lower().split()))
    }


def card(rng: random.Random, name: str) -> str:
    lines = [
        "---",
        f"name: {name}",
        f"company: {rng.choice(WORDS).title()} {rng.choice(['Ltd', 'GmbH', '& Co', 'SARL'])}",
        f"role: {rng.choice(['Owner', 'Director', 'Manager', 'Founder'])}",
        f"tags: [{rng.choice(TAGS)}]",
        f"status: {rng.choice(['prospect', 'active', 'partner', 'dormant', ''])}".rstrip(),
        f"cadence: {rng.choice([30, 60, 90])}",
        "---",
        sentence(rng, 20),
        "",
    ]
    return "\n".join(line for line in lines if not line.endswith("status:"))


def corpus(count: int, seed: int = 5) -> dict[str, str]:
    """{relative path: text} of a whole journal root with `count` notes."""
    rng = random.Random(seed)
    names = person_names(max(1, count // 3))
    files = {"journal.yaml": "title: Benchmark journal\nowner: Alex Rivera\n"}
    notes = []
    for index in range(count):
        day = LAST_DAY - timedelta(days=(count - 1 - index) * 4 // 10)  # several a day, for years
        notes.append(note(rng, index, day, names))
    carded = sorted(rng.sample(names, len(names) // 2))
    undeclared = questioned(names, carded)
    for path, text, named in notes:  # each such person is declared in the first note that names them
        declare = [name for name in dict.fromkeys(named) if name in undeclared]
        undeclared -= set(declare)
        files[path] = text.replace("\nwhere: ", f"\nnew: [{', '.join(declare)}]\nwhere: ", 1) if declare else text
    for name in carded:
        files[f"entries/contacts/{name.lower().replace(' ', '-')}.md"] = card(rng, name)
    return files


def write_corpus(root: Path, count: int) -> int:
    """Write the journal under root; one file in ten gets CRLF line ends. Returns the file count."""
    files = corpus(count)
    for index, (relative, text) in enumerate(sorted(files.items())):
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes((text.replace("\n", "\r\n") if index % 10 == 3 else text).encode("utf-8"))
    return len(files)


if __name__ == "__main__":
    print(write_corpus(Path(sys.argv[2]), int(sys.argv[1])), "files")
