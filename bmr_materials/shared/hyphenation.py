"""Take pyphen's hyphenation patterns (the LibreOffice dictionaries WeasyPrint hyphenates
with) and a table of words they break wrongly, and give WeasyPrint dictionaries that break
those words right.

The German patterns split "dauerhaft" as "dau-e-r-haft", so a narrow line ends in "daue-";
they split "bedarfsgerechten" after "beda-", "Deutschland" after "Deut-". Each exception below
("dau-er-haft") becomes a pattern anchored at the start of a word, with the strongest values
Liang's algorithm has (9: break here, 8: never here), so it overrides the patterns for the word
and for every word that begins with it (dauerhafte, dauerhaften); the rest of a longer word is
hyphenated by the patterns as before. Each tail after a break gets its pattern too, as
WeasyPrint hyphenates the rest of a word it broke once afresh ("Zusam-" then "menarbeit").
The dictionaries are written once into the cache and registered with pyphen for the language
and its regions (de, de_DE, de_AT, de_CH ...).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from bmr_materials.shared.repro import atomic_write

# Words the patterns break wrongly, written with their right breaks (Duden).
EXCEPTIONS: dict[str, tuple[str, ...]] = {
    "de": (
        "dau-er-haft",
        "be-darfs-ge-recht",
        "Deutsch-land",
        "Fort-schritt",
        "Groß-un-ter-neh-men",
        "Grund-stoff-in-dus-trie",
        "Kran-ken-haus-bet-ten",
        "Kreis-lauf-wirt-schaft",
        "Le-bens-um-stän-de",
        "Pri-mär-prä-ven-ti-on",
        "So-zi-al-ver-si-che-rungs-pflich-tig",
        "Wachs-tums-po-ten-zi-a-le",
        "Wis-sens-trans-fer",
        "Zu-sam-men-ar-beit",
        "mo-le-ku-lar-bio-lo-gisch",
        "La-bor-tech-nisch",
        "her-aus-stel-len",
        "Al-ler-go-lo-gie",
        "Te-le-ra-dio-lo-gie",
        "In-no-va-ti-ons-stand-ort",
        "For-schungs-stand-ort",
        "Wis-sen-schafts-stand-ort",
    ),
    "fr": (),
}
VERSION = "2"  # of the way dictionaries are written


def pattern(word: str) -> str:
    """'dau-er-haft' -> '.d8a8u9e8r9h8a8f8t': a word-start pattern for exactly these breaks."""
    letters = word.replace("-", "").lower()
    breaks, count = set(), 0
    for char in word:
        if char == "-":
            breaks.add(count)
        else:
            count += 1
    values = "".join(
        letter + ("9" if i + 1 in breaks else "8") for i, letter in enumerate(letters[:-1])
    )
    return "." + values + letters[-1]


def patterns(word: str) -> list[str]:
    """The patterns of an exception: the word, and each of its tails after a break."""
    parts = word.split("-")
    return [pattern("-".join(parts[i:])) for i in range(len(parts) - 1)]


def dictionary_text(base: Path, words: tuple[str, ...]) -> tuple[str, str]:
    """(encoding, text) of the dictionary `base` with the patterns of `words` added."""
    data = base.read_bytes()
    encoding = data.split(b"\n", 1)[0].decode().strip()
    codec = "cp1251" if encoding.lower() == "microsoft-cp1251" else encoding
    text = data.decode(codec)
    added = [p for word in words for p in patterns(word)]
    return codec, text.rstrip("\n") + "\n" + "\n".join(added) + "\n"


def register(cache: Path) -> None:
    """Write the dictionaries with exceptions (once) and make pyphen use them."""
    import pyphen

    for lang, words in EXCEPTIONS.items():
        if not words:
            continue
        keys = [k for k in list(pyphen.LANGUAGES) if k == lang or k.startswith(f"{lang}_")]
        for key in keys:
            base = Path(pyphen.LANGUAGES[key])
            if base.parent.name == "hyphenation":
                continue  # already ours
            codec, text = dictionary_text(base, words)
            data = text.encode(codec)
            digest = hashlib.sha256(data + VERSION.encode()).hexdigest()[:16]
            path = cache / "hyphenation" / f"hyph_{key}-{digest}.dic"
            if not path.is_file():
                atomic_write(path, data)
            pyphen.LANGUAGES[key] = path
