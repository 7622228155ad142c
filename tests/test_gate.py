"""`check` is the gate: a table of broken and hostile inputs, one class of fault per section.

Every case runs `check` and then `build` on a project (content, assets, previous outputs) in
a folder of its own, which is the current folder. Each asserts the exit code, the exact
file:line and message of every expected problem, no traceback, that nothing was written and
the previous outputs are unchanged, that a loopback listener received no request and that a
marker file outside the project was read into no output.
"""

from __future__ import annotations

import io
import os
import shutil
import struct
import uuid
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from bmr_materials.app.cli import main
from tests.conftest import CONTENT, PROJECT, Loopback

MARKER = f"marker-{uuid.uuid4().hex}"
LOGO_LINE = "logo: assets/logo/ihr-logo.svg"


# --- the project, the listener and the marker ------------------------------------------------


@dataclass
class Project:
    """A project folder (the current folder): content/, assets/, output/ from an earlier build."""

    root: Path
    outside: Path  # a file outside the project holding MARKER
    loopback: Loopback  # a listener that must receive no request

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def out(self) -> Path:
        return self.root / "output"

    def fill(self, text: str) -> str:
        return (
            text.replace("SERVER", self.loopback.url)
            .replace("OUTSIDE", self.outside.as_uri())
            .replace("OUTPATH", str(self.outside))
        )


@pytest.fixture
def project(tmp_path: Path, loopback: Loopback, monkeypatch: pytest.MonkeyPatch) -> Project:
    from bmr_materials.kinds.decks import context

    root = tmp_path / "project"
    shutil.copytree(CONTENT, root / "content")
    shutil.copytree(PROJECT / "assets", root / "content" / "assets")  # the campaign's own
    for name in (
        "output/en/brochures/overview-en-print.pdf",
        "output/manifest.json",
        "output/index.html",
    ):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(f"previous {name}".encode())
    outside = tmp_path / "outside" / "secret.txt"
    outside.parent.mkdir()
    outside.write_text(f"{MARKER}\n")
    monkeypatch.chdir(root)
    monkeypatch.setattr(context, "PROJECT", root)
    loopback.requests.clear()
    return Project(root, outside, loopback)


def _tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        code = main(list(args))
    except SystemExit as done:
        code = int(done.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _line_of(path: Path, marker: str) -> int:
    text = path.read_bytes().decode("utf-8", "replace")
    return next(n for n, row in enumerate(text.splitlines(), 1) if marker in row)


# --- the cases ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Expect:
    """A problem `check` must report: its file (as shown), a text on its line, its message."""

    file: str
    marker: str
    message: str


@dataclass(frozen=True)
class Case:
    """One broken input: edits (file, old, new: the first `old` becomes `new`), files to write
    (relative to the project), an optional preparation, and the problems it must give."""

    cls: str
    name: str
    expect: tuple[Expect, ...]
    edits: tuple[tuple[str, str, str], ...] = ()
    files: tuple[tuple[str, str | bytes], ...] = ()
    prepare: Callable[[Project], None] | None = None

    @property
    def id(self) -> str:
        return f"{self.cls}: {self.name}"


def edit(
    cls: str,
    name: str,
    file: str,
    old: str,
    new: str,
    marker: str,
    message: str,
    *more: tuple[str, str, str],
) -> Case:
    """A case of one edit of `content/<file>` and one expected problem in it."""
    return Case(
        cls,
        name,
        (Expect(f"content/{file}", marker, message),),
        ((f"content/{file}", old, new), *more),
    )


def logo(
    cls: str, name: str, data: str | bytes, marker: str, message: str, suffix: str = "svg"
) -> Case:
    """A case whose logo is `data`; the problem is expected in the logo file itself."""
    path = f"assets/logo/case.{suffix}"  # in the content folder's own assets/
    return Case(
        cls,
        name,
        (Expect(f"content/{path}", marker, message),),
        (("content/campaign.yaml", LOGO_LINE, f"logo: {path}"),),
        ((f"content/{path}", data),),
    )


SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
    ' viewBox="0 0 10 10" width="10" height="10">\n'
)
ONLY_FRAGMENTS = "refers to something outside the file (only #fragment references are allowed)"


def svg(body: str) -> str:
    return SVG + body + "\n</svg>\n"


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bomb(width: int, height: int) -> bytes:
    """A PNG whose header claims `width` x `height` pixels: a few hundred bytes on disk."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    rows = zlib.compress(b"\0" * (1 + width // 8) * 4, 9)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", rows)
        + _png_chunk(b"IEND", b"")
    )


def _image(kind: str, size: tuple[int, int] = (600, 200), mode: str = "RGB") -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new(mode, size, (0, 89, 110) if mode == "RGB" else 0).save(buffer, kind, dpi=(300, 300))
    return buffer.getvalue()


def jpeg_bomb() -> bytes:
    """A small JPEG whose frame header claims 30,000 x 30,000 pixels."""
    data = bytearray(_image("JPEG", (16, 16)))
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", 30000, 30000)
    return bytes(data)


def _symlink(link: str, target: str) -> Callable[[Project], None]:
    def prepare(project: Project) -> None:
        path = project.root / link
        if path.exists():
            path.unlink()
        path.symlink_to(Path(project.fill(target)))

    return prepare


def _with_measures_slide(content: Path) -> None:
    """A measures slide at the end of the main deck, and a region without measures or box."""
    _drop_keys(content / "region.yaml", ("measures", "box"))
    deck = content / DECK
    notes = "{de: Notizen, en: Notes, fr: Notes, ja: ノート}"
    deck.write_text(
        deck.read_text(encoding="utf-8") + f"\n  - kind: measures\n    notes: {notes}\n",
        encoding="utf-8",
    )


def _drop_keys(path: Path, keys: tuple[str, ...]) -> None:
    """Remove top-level `keys` (with their nested lines) from a YAML file."""
    kept, skipping = [], False
    for line in path.read_text(encoding="utf-8").splitlines(keepends=True):
        if line[:1].isalpha():
            skipping = line.split(":")[0] in keys
        if not skipping:
            kept.append(line)
    path.write_text("".join(kept), encoding="utf-8")


def _fifo(project: Project) -> None:
    os.mkfifo(project.content / "fields" / "pipe.yaml")


FIG = "figures.yaml"
CAMPAIGN = "campaign.yaml"
FIELD = "fields/digital-health.yaml"
DECK = "decks/international-health-ruhr.yaml"
NEW_FIGURE = (
    "\nfigures:\n  extra:\n    value: VALUE\n    unit: UNIT\n    period: PERIOD\n"
    "    label: {de: a, en: b, fr: c}\n    source:\n      name: {de: a, en: b, fr: c}\n"
    "      url: URL\n"
)


def new_figure(
    value: str = "1", unit: str = "count", period: str = '"2020"', url: str = "https://example.org/"
) -> str:
    return (
        NEW_FIGURE.replace("VALUE", value)
        .replace("UNIT", unit)
        .replace("PERIOD", period)
        .replace("URL", url)
    )


CASES: list[Case] = [
    # --- dates are real dates -------------------------------------------------------------
    edit(
        "dates",
        "impossible day in a period",
        FIG,
        'period: "2023-06-30"',
        'period: "2023-02-30"',
        '"2023-02-30"',
        "figures.health_jobs.period: '2023-02-30' is not a real date",
    ),
    edit(
        "dates",
        "month 13 in a period",
        FIG,
        'period: "2023-06-30"',
        'period: "2023-13-01"',
        '"2023-13-01"',
        "figures.health_jobs.period: '2023-13-01' is not a real date",
    ),
    edit(
        "dates",
        "day zero in a period",
        FIG,
        'period: "2023-06-30"',
        'period: "2023-06-00"',
        '"2023-06-00"',
        "'2023-06-00' is not a real date (no such day in the calendar)",
    ),
    edit(
        "dates",
        "impossible reference date",
        CAMPAIGN,
        'reference_date: "2026-11-01"',
        'reference_date: "2023-02-30"',
        "reference_date:",
        "settings.reference_date: '2023-02-30' is not a real date",
    ),
    edit(
        "dates",
        "29 February of a common year",
        CAMPAIGN,
        'reference_date: "2026-11-01"',
        'reference_date: "2025-02-29"',
        "reference_date:",
        "settings.reference_date: '2025-02-29' is not a real date",
    ),
    # --- series are ordered and unique ----------------------------------------------------
    edit(
        "series",
        "a year twice",
        FIG,
        '      - period: "2017"',
        '      - period: "2016"  # again',
        '- period: "2016"  # again',
        "series.health_employees.points[1].period: period 2016 appears twice (also points[0])",
    ),
    edit(
        "series",
        "years out of order",
        FIG,
        '      - period: "2018"',
        '      - period: "2015"',
        '- period: "2015"',
        "series.health_employees.points[2].period: period 2015 comes after 2017: list the "
        "points in time order",
    ),
    Case(
        "series",
        "a year twice in the second series",
        (
            Expect(
                "content/figures.yaml",
                '- period: "2019"  # twice',
                "series.health_turnover_series.points[4].period: period 2019 appears twice "
                "(also points[3])",
            ),
        ),
        (
            (
                "content/figures.yaml",
                '      - period: "2020"\n        value: 18.79',
                '      - period: "2019"  # twice\n        value: 1\n'
                '        source: {name: {de: a, en: b, fr: c}, url: "https://example.org/"}\n'
                '      - period: "2020"\n        value: 18.79',
            ),
        ),
    ),
    # --- periods are not after the reference date -----------------------------------------
    edit(
        "future",
        "a figure's year after the reference date",
        FIG,
        'period: "2022"',
        'period: "2027"',
        '"2027"',
        "figures.health_turnover.period: period 2027 is after the reference date 2026-11-01 "
        "(settings.reference_date in campaign.yaml)",
    ),
    edit(
        "future",
        "a figure's day after the reference date",
        FIG,
        'period: "2023-06-30"',
        'period: "2026-11-02"',
        '"2026-11-02"',
        "figures.health_jobs.period: period 2026-11-02 is after the reference date 2026-11-01",
    ),
    edit(
        "future",
        "a series point after the reference date",
        FIG,
        '      - period: "2023"\n        value: 371300',
        '      - period: "2031"\n        value: 371300',
        '- period: "2031"',
        "series.health_employees.points[7].period: period 2031 is after the reference date",
    ),
    Case(
        "future",
        "the reference date moved before the figures",
        (
            Expect(
                "content/figures.yaml",
                '"2023-06-30"',
                "figures.health_jobs.period: period "
                "2023-06-30 is after the reference date 2023-06-29",
            ),
        ),
        (
            (
                "content/campaign.yaml",
                'reference_date: "2026-11-01"',
                'reference_date: "2023-06-29"',
            ),
        ),
    ),
    # --- shares are within 0 to 100 -------------------------------------------------------
    edit(
        "shares",
        "a share above 100 %",
        FIG,
        "value: 20.0",
        "value: 120.0",
        "figures: [health_share]",
        "charts.health_share.figures[0]: figure 'health_share' is 120 %, but a share is "
        "between 0 and 100 %",
    ),
    edit(
        "shares",
        "a negative share",
        FIG,
        "value: 20.0",
        "value: -5.0",
        "figures: [health_share]",
        "figure 'health_share' is -5 %, but a share is between",
    ),
    edit(
        "shares",
        "a share chart of two figures",
        FIG,
        "figures: [health_share]",
        "figures: [health_share, health_share]",
        "figures: [health_share, health_share]",
        "charts.health_share.figures[1]: a share chart draws one figure, not 2",
    ),
    edit(
        "shares",
        "a compare chart of two units",
        FIG,
        "figures: [ruhr_beds_per_100k, germany_beds_per_100k]",
        "figures: [ruhr_beds_per_100k, hospital_beds]",
        "figures: [ruhr_beds_per_100k, hospital_beds]",
        "charts.hospital_density.figures[1]: a compare chart draws figures of one unit: "
        "'hospital_beds' is count, 'ruhr_beds_per_100k' is per_100k",
    ),
    # --- locales are known to Babel -------------------------------------------------------
    edit(
        "locales",
        "a locale Babel does not know",
        CAMPAIGN,
        "locale: de_DE",
        "locale: xx_XX",
        "locale: xx_XX",
        "languages.de.locale: unknown locale 'xx_XX'",
    ),
    edit(
        "locales",
        "a locale written as a tag",
        CAMPAIGN,
        "locale: de_DE",
        "locale: de-DE",
        "locale: de-DE",
        "languages.de.locale: unknown locale 'de-DE' (did you mean 'de_DE'?)",
    ),
    edit(
        "locales",
        "a language name as locale",
        CAMPAIGN,
        "locale: en_GB",
        "locale: english",
        "locale: english",
        "languages.en.locale: unknown locale 'english'",
    ),
    # --- language tags are BCP 47 (langcodes) ---------------------------------------------
    edit(
        "tags",
        "underscore instead of hyphen",
        CAMPAIGN,
        "tag: de-DE",
        "tag: de_DE",
        "tag: de_DE",
        "languages.de.tag: 'de_DE' is not a BCP 47 language tag (did you mean 'de-DE'?)",
    ),
    edit(
        "tags",
        "a language name as tag",
        CAMPAIGN,
        "tag: en-GB",
        "tag: English",
        "tag: English",
        "languages.en.tag: 'English' is not a BCP 47 language tag",
    ),
    edit(
        "tags",
        "a region twice",
        CAMPAIGN,
        "tag: de-DE",
        "tag: de-DE-DE",
        "tag: de-DE-DE",
        "languages.de.tag: 'de-DE-DE' is not a BCP 47 language tag",
    ),
    edit(
        "tags",
        "a tag of another language than the locale",
        CAMPAIGN,
        "tag: de-DE",
        "tag: en-DE",
        "tag: en-DE",
        "languages.de.tag: tag 'en-DE' is language 'en', but locale 'de_DE' is 'de'",
    ),
    # --- links are plain ------------------------------------------------------------------
    edit(
        "links",
        "mailto: with bcc in a text",
        "region.yaml",
        "\nlead:\n  de: >-\n    ",
        "\nlead:\n  de: >-\n    [Mail](mailto:a@example.org?bcc=spy@example.net) ",
        "  de: >-",
        "lead.de: mailto: link 'mailto:a@example.org?bcc=spy@example.net' has header "
        "fields ('?...'): only a plain address is allowed",
    ),
    edit(
        "links",
        "mailto: with an encoded header in a text",
        "region.yaml",
        "\nlead:\n  de: >-\n    ",
        "\nlead:\n  de: >-\n    [Mail](mailto:a@example.org%3Fbcc=spy@example.net) ",
        "  de: >-",
        "lead.de: mailto: link: e-mail address 'a@example.org?bcc=spy@example.net'"
        " has header fields",
    ),
    edit(
        "links",
        "mailto: with a subject in a source",
        FIG,
        "url: https://www.bpb.de/",
        "url: mailto:info@example.org?subject=x",
        "mailto:info@example.org?subject=x",
        "figures.germany_beds_per_100k.source.url: mailto: link "
        "'mailto:info@example.org?subject=x' has header fields",
    ),
    edit(
        "links",
        "contact e-mail with bcc",
        CAMPAIGN,
        "  web: https://www.business.ruhr",
        "  email: info@example.org?bcc=spy@example.net\n  web: https://www.business.ruhr",
        "email:",
        "contact.email: e-mail address 'info@example.org?bcc=spy@example.net' has "
        "header fields ('?...'): only a plain address is allowed",
    ),
    edit(
        "links",
        "contact e-mail with two addresses",
        CAMPAIGN,
        "  web: https://www.business.ruhr",
        "  email: info@example.org,spy@example.net\n  web: https://www.business.ruhr",
        "email:",
        "contact.email: 'info@example.org,spy@example.net' names several "
        "addresses: only one is allowed",
    ),
    edit(
        "links",
        "a web link with a password",
        FIG,
        "url: https://www.bpb.de/",
        "url: https://user:secret@www.bpb.de/",
        "user:secret",
        "figures.germany_beds_per_100k.source.url: link 'https://user:secret@www.bpb.de/' has "
        "a user name or password in it: not allowed",
    ),
    edit(
        "links",
        "a web link without a host",
        FIG,
        "url: https://www.bpb.de/",
        "url: https:///etc/passwd",
        "https:///etc/passwd",
        "figures.germany_beds_per_100k.source.url: link 'https:///etc/passwd' has no host",
    ),
    edit(
        "links",
        "a tel: link with letters",
        "region.yaml",
        "\nlead:\n  de: >-\n    ",
        "\nlead:\n  de: >-\n    [Ruf an](tel:+49-CALL-NOW) ",
        "  de: >-",
        "lead.de: tel: link 'tel:+49-CALL-NOW' is not a phone number",
    ),
    edit(
        "links",
        "a data: link in a text",
        "region.yaml",
        "\nlead:\n  de: >-\n    ",
        "\nlead:\n  de: >-\n    [x](data:text/html,hi) ",
        "  de: >-",
        "lead.de: link 'data:text/html,hi' is not allowed (only https://, http://, mailto: "
        "and tel: links)",
    ),
    # --- language keys are configured languages -------------------------------------------
    edit(
        "languages",
        "a misspelt language key",
        FIELD,
        "\n  de: Digital Health\n",
        "\n  dee: Digital Health\n",
        "dee: Digital Health",
        "title.dee: unknown language 'dee' (did you mean 'de'?)",
    ),
    edit(
        "languages",
        "an unconfigured language",
        "region.yaml",
        "\ntitle:\n",
        "\ntitle:\n  it: Titolo\n",
        "it: Titolo",
        "title.it: unknown language 'it' (configured: de, en, fr, ja)",
    ),
    edit(
        "languages",
        "an upper-case language key",
        CAMPAIGN,
        "\n  en: The Ruhr",
        "\n  EN: The Ruhr",
        "EN: The Ruhr",
        "claim.EN: unknown language 'EN' (did you mean 'en'?)",
    ),
    # --- every problem in one run: references with structural errors ----------------------
    Case(
        "one run",
        "a structural error and an unknown figure in other files",
        (
            Expect("content/campaign.yaml", "titel:", "unknown key 'titel'"),
            Expect(
                "content/fields/digital-health.yaml",
                "- digital_health_specialist",
                "figures[0]: unknown figure 'digital_health_specialist' (did you mean "
                "'digital_health_specialists'?)",
            ),
        ),
        (
            ("content/campaign.yaml", "\nclaim:", "\ntitel: x\nclaim:"),
            (
                "content/fields/digital-health.yaml",
                "- digital_health_specialists",
                "- digital_health_specialist",
            ),
        ),
    ),
    Case(
        "one run",
        "a structural error and an unknown chart in the same file",
        (
            Expect("content/region.yaml", "titel:", "unknown key 'titel'"),
            Expect(
                "content/region.yaml",
                "- hospital_densty",
                "charts[1]: unknown chart 'hospital_densty' (did you mean 'hospital_density'?)",
            ),
        ),
        (
            ("content/region.yaml", "\ntitle:", "\ntitel:"),
            ("content/region.yaml", "- hospital_density", "- hospital_densty"),
        ),
    ),
    Case(
        "one run",
        "a bad figure and an unknown series in a deck's chart",
        (
            Expect("content/figures.yaml", "value: lots", "wrong type: got 'lots'"),
            Expect(
                "content/decks/international-health-ruhr.yaml",
                "chart: employees_trendd",
                "unknown chart 'employees_trendd' (did you mean 'employees_trend'?)",
            ),
        ),
        (
            ("content/figures.yaml", "value: 23.62", "value: lots"),
            (
                "content/decks/international-health-ruhr.yaml",
                "chart: employees_trend",
                "chart: employees_trendd",
            ),
        ),
    ),
    # --- SVG assets are self-contained ----------------------------------------------------
    logo(
        "svg",
        "image of a local file",
        svg('<image href="OUTSIDE" width="5" height="5"/>'),
        "<image",
        "<image href='file:///",
    ),
    logo(
        "svg",
        "image from the network",
        svg('<image xlink:href="SERVER/x.png"/>'),
        "<image",
        "<image href='http://127.0.0.1:",
    ),
    logo(
        "svg",
        "use of another file",
        svg('<use href="other.svg#mark"/>'),
        "<use",
        f"<use href='other.svg#mark'> {ONLY_FRAGMENTS}",
    ),
    logo(
        "svg",
        "embedded data: picture",
        svg('<image href="data:image/png;base64,AAAA"/>'),
        "<image",
        f"<image href='data:image/png;base64,AAAA'> {ONLY_FRAGMENTS}",
    ),
    logo(
        "svg",
        "CSS @import",
        svg('<style>\n@import url("SERVER/x.css");\n</style>'),
        "@import",
        "<style>: CSS @import of another file is not allowed",
    ),
    logo(
        "svg",
        "CSS url() in a style sheet",
        svg("<style>\nrect {\n  fill: url(OUTSIDE);\n}\n</style>"),
        "fill: url(",
        "<style>: CSS url(file:///",
    ),
    logo(
        "svg",
        "CSS url() in a style attribute",
        svg('<rect style="fill: url(\'SERVER/p.svg#g\')" width="5" height="5"/>'),
        "<rect",
        "<rect style>: CSS url('http://127.0.0.1:",
    ),
    logo(
        "svg",
        "url() in a presentation attribute",
        svg('<rect fill="url(SERVER/p.svg#g)" width="5" height="5"/>'),
        "<rect",
        "<rect fill>: CSS url(http://127.0.0.1:",
    ),
    logo(
        "svg",
        "an external style sheet",
        '<?xml-stylesheet href="SERVER/x.css"?>\n' + svg("<g/>"),
        "xml-stylesheet",
        "<?xml-stylesheet?> refers to a style sheet outside the file",
    ),
    logo(
        "svg",
        "billion laughs",
        '<?xml version="1.0"?>\n<!DOCTYPE svg [\n<!ENTITY a "aaaaaaaaaa">\n'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n]>\n' + svg("<text>&b;</text>"),
        "<!DOCTYPE",
        "a DOCTYPE or entity declaration: DTDs and entities are not allowed",
    ),
    logo(
        "svg",
        "external entity (XXE)",
        '<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY x SYSTEM "OUTSIDE">]>\n'
        + svg("<text>&x;</text>"),
        "<!DOCTYPE",
        "a DOCTYPE or entity declaration",
    ),
    logo(
        "svg",
        "a DTD from the network",
        '<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
        '"SERVER/svg11.dtd">\n' + svg("<g/>"),
        "<!DOCTYPE",
        "a DOCTYPE or entity declaration",
    ),
    logo(
        "svg",
        "malformed XML",
        svg('<g>\n<rect width="5" height="5">\n</g>'),
        "</g>",
        "malformed XML: mismatched tag",
    ),
    logo(
        "svg",
        "not XML at all",
        "<svg this is not xml\n",
        "<svg this",
        "malformed XML: not well-formed (invalid token)",
    ),
    logo(
        "svg",
        "an XML file that is no SVG",
        '<html xmlns="http://www.w3.org/1999/xhtml"/>\n',
        "<html",
        "not an SVG: the root element is not <svg>",
    ),
    logo(
        "svg",
        "a script",
        svg("<script>alert(1)</script>"),
        "<script>",
        "<script> is not allowed in an SVG asset",
    ),
    logo(
        "svg",
        "an XInclude of a local file",
        svg('<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="OUTSIDE" parse="text"/>'),
        "<xi:include",
        "<include href='file:///",
    ),
    # --- raster assets: Pillow with a pixel limit -----------------------------------------
    logo(
        "raster",
        "a PNG decompression bomb",
        png_bomb(30000, 30000),
        "PNG",
        "PNG of 30,000 x 30,000 pixels is more than the limit of 25 megapixels: refused "
        "unread (a decompression bomb?)",
        suffix="png",
    ),
    logo(
        "raster",
        "a JPEG decompression bomb",
        jpeg_bomb(),
        "JFIF",
        "JPEG of 30,000 x 30,000 pixels is more than the limit of 25 megapixels",
        suffix="jpg",
    ),
    logo(
        "raster",
        "a truncated PNG",
        _image("PNG", (600, 200))[:-40],
        "PNG",
        "damaged image: ",
        suffix="png",
    ),
    logo(
        "raster",
        "a GIF",
        _image("GIF", (60, 20), "L"),
        "GIF",
        "a GIF image: a logo is SVG, PNG or JPEG",
        suffix="gif",
    ),
    logo(
        "raster",
        "bytes that are no image",
        b"\x00\x01binary junk\n",
        "binary",
        "not an image this builder reads: a logo is SVG, PNG or JPEG",
        suffix="png",
    ),
    # --- content files stay inside the content folder -------------------------------------
    Case(
        "symlinks",
        "a content file linked to a file outside",
        (
            Expect(
                "content/region.yaml",
                "",
                "is a symbolic link to a file outside the content folder: not read",
            ),
        ),
        prepare=_symlink("content/region.yaml", "OUTPATH"),
    ),
    Case(
        "symlinks",
        "a field linked to a file outside",
        (
            Expect(
                "content/fields/medtech.yaml",
                "",
                "is a symbolic link to a file outside the content folder",
            ),
        ),
        prepare=_symlink("content/fields/medtech.yaml", "OUTPATH"),
    ),
    Case(
        "symlinks",
        "a link to a system file",
        (
            Expect(
                "content/sites/campus-bochum.yaml",
                "",
                "is a symbolic link to a file outside the content folder",
            ),
        ),
        prepare=_symlink("content/sites/campus-bochum.yaml", "/etc/passwd"),
    ),
    Case(
        "symlinks",
        "a pipe instead of a file",
        (Expect("content/fields/pipe.yaml", "", "not a regular file: not read"),),
        prepare=_fifo,
    ),
    # --- YAML syntax errors in plain words ------------------------------------------------
    edit(
        "yaml",
        "a tab",
        "region.yaml",
        "\ntitle:\n  de:",
        "\ntitle:\n\tde:",
        "\tde:",
        "YAML syntax error: a tab character: indent with spaces, not tabs",
    ),
    edit(
        "yaml",
        "a line indented too little",
        "region.yaml",
        "\n  en: ",
        "\n en: ",
        " en: ",
        "YAML syntax error: this line's indentation does not fit the lines above it",
    ),
    edit(
        "yaml",
        "a quote never closed",
        "sites/campus-bochum.yaml",
        "\ntitle:",
        '\nx: "open\ntitle:',
        'x: "open',
        "YAML syntax error: a quote opened here is never closed",
    ),
    edit(
        "yaml",
        "a list never closed",
        "region.yaml",
        "\ntitle:",
        "\nx: [a, b\ntitle:",
        "x: [a, b",
        "YAML syntax error: a list opened with '[' here is not closed with ']'",
    ),
    edit(
        "yaml",
        "a colon in a value",
        "region.yaml",
        "\ntitle:",
        "\nx: Note: this\ntitle:",
        "x: Note: this",
        "YAML syntax error: unexpected ':' here: put a text containing ': ' in quotes",
    ),
    edit(
        "yaml",
        "an alias without its anchor",
        "region.yaml",
        "\ntitle:",
        "\nx: *nowhere\ntitle:",
        "x: *nowhere",
        "YAML syntax error: '*nowhere' refers to no anchor '&nowhere'",
    ),
    edit(
        "yaml",
        "two documents",
        "sites/campus-bochum.yaml",
        "\nlead:",
        "\n---\nlead:",
        "---",
        "YAML syntax error: a second document ('---'): a content file holds one",
    ),
    edit(
        "yaml",
        "a value starting with @",
        "region.yaml",
        "\ntitle:",
        "\nx: @handle\ntitle:",
        "x: @handle",
        "YAML syntax error: a value cannot start with '@': put the text in quotes",
    ),
    edit(
        "yaml",
        "a key without a colon",
        "region.yaml",
        "\ntitle:",
        "\nx: 1\njust words\ny: 2\ntitle:",
        "just words",
        "YAML syntax error: a line without 'key: value'",
    ),
    # --- structure and assets from the content (issue 10 items 3 and 8) ---------------------
    Case(
        "structure",
        "a deck with a field's id",
        (
            Expect(
                "content/decks/life-science-medtech.yaml",
                "id: medtech",
                "id: id 'medtech' is also the id of content/fields/medtech.yaml: two outputs "
                "cannot share an id (it names their files)",
            ),
            Expect(
                "content/fields/medtech.yaml",
                "id: medtech",
                "id: id 'medtech' is also the id of content/decks/life-science-medtech.yaml",
            ),
        ),
        (("content/decks/life-science-medtech.yaml", "id: life-science-medtech", "id: medtech"),),
    ),
    edit(
        "structure",
        "the overview with a field's id",
        "region.yaml",
        "id: overview",
        "id: green-health",
        "id: green-health",
        "id: id 'green-health' is also the id of content/fields/green-health.yaml",
    ),
    Case(
        "structure",
        "two sites with one id",
        (
            Expect(
                "content/sites/copy.yaml",
                "id: campus-bochum",
                "id: duplicate id 'campus-bochum': content/sites/campus-bochum.yaml uses it "
                "already",
            ),
        ),
        prepare=lambda project: shutil.copy(
            project.content / "sites/campus-bochum.yaml", project.content / "sites/copy.yaml"
        ),
    ),
    edit(
        "structure",
        "a site slide without its site",
        "decks/life-science-medtech.yaml",
        "    site: campus-bochum\n",
        "",
        "- kind: site",
        "slides[5]: a site slide needs 'site'",
    ),
    edit(
        "structure",
        "a site slide naming no site",
        "decks/life-science-medtech.yaml",
        "site: campus-bochum",
        "site: campus-bochun",
        "site: campus-bochun",
        "slides[5].site: unknown site 'campus-bochun' (did you mean 'campus-bochum'?)",
    ),
    Case(
        "structure",
        "a measures slide when the region has no measures and no box",
        (
            Expect(
                f"content/{DECK}",
                "- kind: measures",
                "slides[18].kind: a measures slide shows the measures and the box of "
                "content/region.yaml, which has neither",
            ),
        ),
        prepare=lambda project: _with_measures_slide(project.content),
    ),
    edit(
        "assets",
        "a logo with an absolute path",
        "campaign.yaml",
        LOGO_LINE,
        "logo: /etc/hosts",
        "logo: /etc/hosts",
        "brand.logo: '/etc/hosts' is not a relative path (give a path under assets/ of the "
        "content folder)",
    ),
    Case(
        "assets",
        "a logo linked out of the content's assets",
        (
            Expect(
                "content/campaign.yaml",
                "logo: assets/logo/out.svg",
                "brand.logo: 'assets/logo/out.svg' is a symbolic link out of assets/: not used",
            ),
        ),
        (("content/campaign.yaml", LOGO_LINE, "logo: assets/logo/out.svg"),),
        prepare=_symlink("content/assets/logo/out.svg", "OUTPATH"),
    ),
    edit(
        "assets",
        "a print profile that leaves assets/",
        "campaign.yaml",
        "  native_charts: false",
        "  native_charts: false\n  print_profile:\n    file: assets/../../shop.icc\n"
        "    condition: FOGRA51",
        "file: assets/../../shop.icc",
        "settings.print_profile.file: 'assets/../../shop.icc' is outside assets/ ('..' is not "
        "allowed)",
    ),
    edit(
        "assets",
        "a deck master given by an absolute path",
        "campaign.yaml",
        "  native_charts: false",
        "  native_charts: false\n  deck_template: /tmp/corporate.pptx",
        "deck_template: /tmp/corporate.pptx",
        "settings.deck_template: '/tmp/corporate.pptx' is not a relative path (give a path "
        "under assets/ or templates/ of the content folder)",
    ),
    # --- a layout map for a client's master (issue 10 item 2) ------------------------------
    edit(
        "layout map",
        "a layout the master does not have",
        "campaign.yaml",
        "  native_charts: false",
        "  native_charts: false\n  deck_layouts:\n    chart: {layout: Graph}",
        "chart: {layout: Graph}",
        "decks/master.pptx has no layout 'Graph' (its layouts: 'Title', 'Section', "
        "'Key Figures', 'Agenda', 'Chart', 'Field', 'Picture', 'Map', 'Closing', "
        "'Two Columns', 'Text', 'Contact')",
    ),
    edit(
        "layout map",
        "a placeholder idx the layout does not have",
        "campaign.yaml",
        "  native_charts: false",
        "  native_charts: false\n  deck_layouts:\n    key_figures:\n      layout: Key Figures\n"
        "      placeholders: {sources: [31]}",
        "placeholders: {sources: [31]}",
        "decks/master.pptx has no placeholder idx 31 (it has: 0 'Title' (title), "
        "11 'Footer Placeholder' (footer), 12 'Slide Number Placeholder' (slide_number), "
        "21 'Figure 1' (body)",
    ),
    edit(
        "layout map",
        "a role the builder does not know",
        "campaign.yaml",
        "  native_charts: false",
        "  native_charts: false\n  deck_layouts:\n    key_figures:\n      layout: Key Figures\n"
        "      placeholders: {figures: [21]}",
        "placeholders: {figures: [21]}",
        "settings.deck_layouts.key_figures.placeholders.figures: unknown role 'figures' (did "
        "you mean 'figure'?)",
    ),
    edit(
        "layout map",
        "a slide kind the builder does not know",
        "campaign.yaml",
        "  native_charts: false",
        "  native_charts: false\n  deck_layouts:\n    txt: {layout: Text}",
        "txt: {layout: Text}",
        "settings.deck_layouts.txt: unknown slide kind 'txt' (did you mean 'text'?)",
    ),
    # --- what the renderers rely on (issue 10 item 6) -------------------------------------
    edit(
        "renderers",
        "more figures than the layout has places",
        DECK,
        "      - hospital_beds\n",
        "      - hospital_beds\n      - digital_health_specialists\n      - hospitals\n"
        "      - campus_area\n      - health_share\n",
        "    figures:",
        "slides[4].figures: 7 figures, but layout 'Key Figures' of ",
    ),
    Case(
        "renderers",
        "a field with another brochure's id",
        (
            Expect(
                "content/fields/extra.yaml",
                "id: campus-bochum",
                "id: id 'campus-bochum' is also the id of content/sites/campus-bochum.yaml: "
                "two outputs cannot share an id (it names their files)",
            ),
            Expect(
                "content/sites/campus-bochum.yaml",
                "id: campus-bochum",
                "id: id 'campus-bochum' is also the id of content/fields/extra.yaml: "
                "two outputs cannot share an id (it names their files)",
            ),
        ),
        prepare=lambda project: (project.content / "fields" / "extra.yaml").write_text(
            (project.content / "fields" / "medtech.yaml")
            .read_text()
            .replace("id: medtech", "id: campus-bochum")
            .replace("order: 4", "order: 99")
        ),
    ),
    edit(
        "renderers",
        "a deck for an audience in a language the campaign does not make",
        "decks/life-science-medtech.yaml",
        "  languages: [en]",
        "  languages: [it]",
        "languages: [it]",
        "audience.languages: language 'it' is not one of campaign.yaml's languages "
        "(de, en, fr, ja)",
    ),
    logo(
        "renderers",
        "a logo colour print cannot show",
        svg('<rect fill="#123456"/>'),
        "#123456",
        "brand.logo in content/campaign.yaml: colour #123456 is not a brand colour",
    ),
    Case(
        "renderers",
        "a deck master without the deck's layouts",
        (
            Expect(
                "content/decks/international-health-ruhr.yaml",
                "- kind: title",
                "slides[0].kind: a title slide needs the layout 'Title', which deck template "
                "content/assets/plain.pptx lacks",
            ),
        ),
        (
            (
                "content/campaign.yaml",
                "  native_charts: false",
                "  native_charts: false\n  deck_template: assets/plain.pptx",
            ),
        ),
        prepare=lambda project: _plain_pptx(project.content / "assets" / "plain.pptx"),
    ),
]


# `build` stops at the same gate as `check`: shown for the first case of each class
BUILT = {next(c.id for c in CASES if c.cls == cls) for cls in dict.fromkeys(c.cls for c in CASES)}


def _plain_pptx(path: Path) -> None:
    from pptx import Presentation

    Presentation().save(str(path))


def _apply(case: Case, project: Project) -> None:
    for name, data in case.files:
        target = project.root / name
        target.write_bytes(project.fill(data).encode() if isinstance(data, str) else data)
    for name, old, new in case.edits:
        path = project.root / name
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{case.id}: {old!r} not in {name}"
        path.write_text(text.replace(old, project.fill(new), 1), encoding="utf-8")
    if case.prepare:
        case.prepare(project)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_check_refuses(case: Case, project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    _apply(case, project)
    before = _tree(project.root)
    code, out, err = _run(capsys, "check", "--content", "content")
    build_code, build_out, build_err = code, "", err
    if case.id in BUILT:
        build_code, build_out, build_err = _run(
            capsys, "build", "--content", "content", "--out", "output", "--jobs", "1"
        )
    assert (code, build_code) == (1, 1), err
    rows = err.splitlines()
    for expect in case.expect:
        line = _line_of(project.root / expect.file, expect.marker) if expect.marker else 1
        prefix = f"{expect.file}:{line}:"
        assert any(row.startswith(prefix) and expect.message in row for row in rows), (
            f"expected {prefix} ... {expect.message}\ngot:\n{err}"
        )
    assert rows == build_err.splitlines()  # build stops at the same gate, with the same words
    everything = out + err + build_out + build_err
    assert "Traceback" not in everything
    assert _tree(project.root) == before  # nothing written, previous outputs unchanged
    assert project.loopback.requests == []
    assert MARKER not in everything


# --- inputs that pass: the checks refuse a class, not a look-alike ---------------------------

ACCEPTED = [
    edit(
        "accepted",
        "a growth rate above 100 % is not a share",
        FIG,
        "\nfigures:\n",
        new_figure("150", "growth"),
        "",
        "",
    ),
    edit(
        "accepted",
        "a negative growth rate",
        FIG,
        "\nfigures:\n",
        new_figure("-3.5", "growth"),
        "",
        "",
    ),
    edit(
        "accepted",
        "a period on the reference date",
        FIG,
        'period: "2023-06-30"',
        'period: "2026-11-01"',
        "",
        "",
    ),
    edit(
        "accepted",
        "29 February of a leap year",
        FIG,
        'period: "2023-06-30"',
        'period: "2024-02-29"',
        "",
        "",
    ),
    edit(
        "accepted",
        "a plain mailto: link",
        "region.yaml",
        "\nlead:\n  de: >-\n    ",
        "\nlead:\n  de: >-\n    [Mail](mailto:info@example.org) ",
        "",
        "",
    ),
    edit("accepted", "a script subtag in a tag", CAMPAIGN, "tag: de-DE", "tag: de-Latn-DE", "", ""),
    Case(
        "accepted",
        "a symlink that stays in the content folder",
        (),
        prepare=lambda project: (
            (project.content / "region.yaml").rename(project.content / "region-real.yaml"),
            (project.content / "region.yaml").symlink_to("region-real.yaml"),
        ),
    ),
    logo(
        "accepted",
        "an SVG with internal references only",
        svg(
            '<defs><linearGradient id="g"><stop stop-color="#00596E"/></linearGradient>'
            "</defs>\n<style>rect { fill: url(#g); }</style>\n"
            '<rect id="r" fill="url(#g)" width="5" height="5"/><use href="#r"/>'
        ),
        "",
        "",
    ),
    logo("accepted", "a PNG logo", _image("PNG"), "", "", suffix="png"),
    logo("accepted", "a JPEG logo", _image("JPEG"), "", "", suffix="jpg"),
]
NOTES = {
    "a PNG logo": "brand.logo: content/assets/logo/case.png: PNG, 600 x 200 pixels, RGB, 300 dpi",
    "a JPEG logo": "brand.logo: content/assets/logo/case.jpg: JPEG, 600 x 200 pixels, RGB, 300 dpi",
}


@pytest.mark.parametrize("case", ACCEPTED, ids=[c.id for c in ACCEPTED])
def test_check_accepts(case: Case, project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    _apply(case, project)
    code, out, err = _run(capsys, "check", "--content", "content")
    assert code == 0, err
    assert out.startswith("content ok:")
    assert NOTES.get(case.name, "brand.logo: ") in out


# --- usage errors ---------------------------------------------------------------------------

USAGE = [
    (
        ["build", "--only", "medtec"],
        "error: --only: no output is called medtec (did you mean 'medtech'?)",
    ),
    (
        ["list", "--only", "overveiw,decks"],
        "error: --only: no output is called overveiw (did you mean 'overview'?)",
    ),
    (
        ["build", "--lang", "dee"],
        "error: --lang: language dee is not configured (did you mean 'de'?) "
        "(configured: de, en, fr, ja)",
    ),
    (
        ["list", "--lang", "it"],
        "error: --lang: language it is not configured (configured: de, en, fr, ja)",
    ),
    (
        ["build", "--onyl", "overview"],
        "error: unrecognized arguments: --onyl overview (did you mean '--only'?)",
    ),
    (["biuld"], "invalid choice: 'biuld' (choose from"),
    (["chekc"], "(did you mean 'check'?)"),
    (["build", "--jobs", "none"], "argument --jobs/-j: expected a whole number of 1 or more"),
]


@pytest.mark.parametrize(("args", "message"), USAGE, ids=[" ".join(a) for a, _ in USAGE])
def test_usage_errors_exit_2(
    args: list[str], message: str, project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _tree(project.root)
    code, _, err = _run(capsys, *args, "--content", "content", "--out", "output")
    assert code == 2 and message in err, err
    assert "Traceback" not in err
    assert _tree(project.root) == before


# --- where paths are shown ------------------------------------------------------------------


def test_paths_are_relative_to_the_current_folder(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    (project.content / "region.yaml").write_text("title: [open\n", encoding="utf-8")
    code, _, err = _run(capsys, "check", "--content", "content")
    assert code == 1 and err.startswith("content/region.yaml:1:8: YAML syntax error: ")
    os.chdir(project.content / "fields")
    code, _, err = _run(capsys, "check", "--content", "..")
    assert err.startswith(f"{project.content / 'region.yaml'}:1:8: YAML syntax error: ")


def test_paths_outside_the_current_folder_are_absolute(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    (project.content / "region.yaml").write_text("a:\n\tb: 1\n", encoding="utf-8")
    os.chdir(project.outside.parent)
    code, _, err = _run(capsys, "check", "--content", str(project.content))
    assert code == 1
    assert f"{project.content / 'region.yaml'}:2:1: YAML syntax error: a tab character" in err


# --- a raster logo end to end ---------------------------------------------------------------


@pytest.mark.slow
def test_png_logo_prints_in_cmyk_and_passes_preflight(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pikepdf

    from bmr_materials.content.load import load_content
    from bmr_materials.kinds.brochures import context, render
    from bmr_materials.shared.pdf import fetcher
    from bmr_materials.shared.preflight.print_pdf import print_checks

    (project.content / "assets/logo/case.png").write_bytes(_image("PNG", (1200, 336), "RGB"))
    campaign = project.content / "campaign.yaml"
    campaign.write_text(campaign.read_text().replace(LOGO_LINE, "logo: assets/logo/case.png"))
    shutil.copytree(PROJECT / "templates", project.root / "templates")
    for module in (context, render, fetcher):
        monkeypatch.setattr(module, "PROJECT", project.root)
    model = load_content(project.content).content
    for variant in ("print", "screen"):
        pdf = render.render_brochure(
            context.brochure_context(model, "overview", "en", variant), project.root / "cache"
        )
        with pikepdf.open(io.BytesIO(pdf)) as doc:
            images = [
                obj
                for obj in doc.objects
                if isinstance(obj, pikepdf.Stream)
                and obj.get("/Subtype") == "/Image"
                and obj.get("/Width") == 1200
            ]
            assert images, f"{variant}: the logo is not in the PDF"
            if variant == "print":
                assert images[0].ColorSpace == "/DeviceCMYK"
                problems = [
                    issue
                    for check in print_checks(doc, Path("x.pdf")).values()
                    for issue in check()
                ]
                assert problems == []


def test_a_truncated_png_is_refused_even_after_weasyprint_is_loaded(tmp_path: Path) -> None:
    """WeasyPrint sets Pillow's LOAD_TRUNCATED_IMAGES on import; the inspection does not
    depend on it."""
    import weasyprint.images  # noqa: F401
    from PIL import ImageFile

    from bmr_materials.content.assets import inspect

    logo = tmp_path / "cut.png"
    logo.write_bytes(_image("PNG", (600, 200))[:-40])
    assert ImageFile.LOAD_TRUNCATED_IMAGES
    assert inspect(logo).problems == [(1, 1, "damaged image: image file is truncated")]
    assert ImageFile.LOAD_TRUNCATED_IMAGES
