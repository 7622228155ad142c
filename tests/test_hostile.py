"""Hostile content: every case has its exact outcome. Raw HTML is shown as text, links go only
to http(s)/mailto/tel, nothing is fetched from outside the project, YAML bombs fail fast."""

from __future__ import annotations

import io
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pikepdf
import pytest
import yaml
from pptx import Presentation

from bmr_materials.app.cli import main
from bmr_materials.content.load import load_content
from bmr_materials.errors import RenderError
from tests.conftest import CONTENT, PROJECT, Loopback, pdf_page_texts, set_value

SCRIPT = "<script>alert('x')</script>"
IMG_FILE = '<img src="file:///etc/passwd">'
ATTACH = '<a rel="attachment" href="file:///etc/passwd">Anhang</a>'
JINJA = "{{ 7*7 }} {% raw %}"


def calls_made(action: Callable[[], int]) -> tuple[int, int]:
    """What `action` returns, and the Python function calls it made: a measure of work that,
    unlike time, a loaded machine does not change."""
    calls = 0

    def count(_frame: object, event: str, _arg: object) -> None:
        nonlocal calls
        calls += event == "call"

    sys.setprofile(count)
    try:
        result = action()
    finally:
        sys.setprofile(None)
    return result, calls


@pytest.fixture(scope="module")
def check_work(tmp_path_factory: pytest.TempPathFactory) -> int:
    """The calls `check` makes on a fresh copy of the shipped content, once a first check has
    imported what it needs: hostile content must cost no more than that to refuse."""
    copies = [tmp_path_factory.mktemp(f"pristine{n}") / "content" for n in (1, 2)]
    for copy in copies:
        shutil.copytree(CONTENT, copy)
    assert main(["check", "--content", str(copies[0])]) == 0
    code, work = calls_made(lambda: main(["check", "--content", str(copies[1])]))
    assert code == 0
    return work


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory, loopback: Loopback) -> dict[str, Any]:
    """The overview brochure and the main deck rendered from content full of raw HTML."""
    from bmr_materials.kinds.brochures.context import brochure_context
    from bmr_materials.kinds.brochures.render import render_brochure
    from bmr_materials.kinds.decks.context import deck_context
    from bmr_materials.kinds.decks.render import render_deck

    root = tmp_path_factory.mktemp("hostile") / "project"
    import shutil

    shutil.copytree(CONTENT, root / "content")
    shutil.copytree(PROJECT / "assets", root / "assets")
    content = root / "content"
    set_value(content, "region.yaml", ["lead", "en"], f"Lead {SCRIPT} end.")
    set_value(
        content,
        "region.yaml",
        ["body", "en"],
        f'Why {IMG_FILE} and <img src="{loopback.url}/x.svg">.',
    )
    set_value(
        content,
        "region.yaml",
        ["box", "body", "en"],
        f"Helix {ATTACH} and [a web link]({loopback.url}/page) {JINJA}.",
    )
    deck_file = content / "decks" / "international-health-ruhr.yaml"
    deck_data = yaml.safe_load(deck_file.read_text(encoding="utf-8"))
    notes = {lang: "Notes." for lang in ("de", "en", "fr", "ja")}
    deck_data["slides"].append({"kind": "measures", "notes": notes})  # shows the region's box
    deck_file.write_text(yaml.safe_dump(deck_data, allow_unicode=True), encoding="utf-8")
    model = load_content(content).content
    cache = root / "cache"
    pdf = render_brochure(brochure_context(model, "overview", "en", "screen"), cache)
    deck = render_deck(
        deck_context(model, "international-health-ruhr", "en", native_charts=False, template=None),
        cache,
    )
    return {"pdf": pdf, "deck": deck, "text": _pdf_text(pdf), "slides": _deck_text(deck)}


def _pdf_text(data: bytes) -> str:
    text = " ".join(pdf_page_texts(data))
    return " ".join(text.replace("\u00ad", "").replace("-\r\n", "").split())


def _deck_text(data: bytes) -> str:
    deck = Presentation(io.BytesIO(data))
    return " ".join(
        shape.text_frame.text
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_text_frame
    )


def _names(data: bytes) -> set[str]:
    """Every name used as a key anywhere in the PDF."""
    found: set[str] = set()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary):
                found.update(str(k) for k in obj)
    return found


def test_script_tag_is_text_not_code(hostile: dict[str, Any]) -> None:
    assert SCRIPT in hostile["text"]
    assert {"/JS", "/JavaScript", "/AA", "/OpenAction"}.isdisjoint(_names(hostile["pdf"]))


def test_img_to_a_local_file_is_text_and_nothing_is_read(hostile: dict[str, Any]) -> None:
    assert IMG_FILE in hostile["text"]
    assert "root:x:0:0" not in hostile["text"]


def test_attachment_link_is_text_and_nothing_is_embedded(hostile: dict[str, Any]) -> None:
    assert ATTACH in hostile["text"]
    assert {"/EmbeddedFiles", "/EmbeddedFile", "/FileAttachment"}.isdisjoint(_names(hostile["pdf"]))


def test_template_syntax_in_content_is_text(hostile: dict[str, Any]) -> None:
    assert JINJA in hostile["text"]


def test_local_server_receives_no_request(hostile: dict[str, Any], loopback: Loopback) -> None:
    time.sleep(0.2)
    assert loopback.requests == []
    assert f"{loopback.url}/x.svg" in hostile["text"]


def test_deck_shows_raw_html_as_text(hostile: dict[str, Any]) -> None:
    assert f"Helix {ATTACH} and a web link {JINJA}." in hostile["slides"]


def test_web_link_in_content_is_a_real_link(hostile: dict[str, Any], loopback: Loopback) -> None:
    with pikepdf.open(io.BytesIO(hostile["pdf"])) as pdf:
        uris = {
            str(annot.A.URI)
            for page in pdf.pages
            for annot in page.get("/Annots", [])
            if "/A" in annot and "/URI" in annot.A
        }
    assert f"{loopback.url}/page" in uris
    assert not any(uri.startswith("file:") for uri in uris)


@pytest.mark.parametrize(
    ("file", "path", "value", "message"),
    [
        (
            "region.yaml",
            ["lead", "en"],
            "[pw](file:///etc/passwd)",
            "lead.en: link 'file:///etc/passwd' is not allowed "
            "(only https://, http://, mailto: and tel: links)",
        ),
        (
            "region.yaml",
            ["lead", "en"],
            "[js](javascript:alert(1))",
            "lead.en: link 'javascript:alert(1)' is not allowed",
        ),
        (
            "campaign.yaml",
            ["brand", "logo"],
            "assets/../../etc/passwd",
            "brand.logo: 'assets/../../etc/passwd' is outside assets/",
        ),
        ("campaign.yaml", ["brand", "logo"], "SERVER/logo.svg", "is not a relative path"),
        ("region.yaml", ["lead", "en"], "bell \u0007 here", "control character U+0007"),
    ],
)
def test_hostile_values_are_content_errors(
    content_copy: Path,
    check_work: int,
    loopback: Loopback,
    file: str,
    path: list[str | int],
    value: str,
    message: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    set_value(content_copy, file, path, value.replace("SERVER", loopback.url))
    code, work = calls_made(lambda: main(["check", "--content", str(content_copy)]))
    err = capsys.readouterr().err
    assert code == 1 and message in err and f"content/{file}:" in err
    assert "Traceback" not in err and work < 1.5 * check_work, (work, check_work)
    assert loopback.requests == []


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (
            "alias bomb",
            "a: &a [x, x, x, x, x, x, x, x, x]\n"
            + "".join(
                f"{c}: &{c} [{', '.join([f'*{p}'] * 9)}]\n"
                for p, c in zip("abcdefgh", "bcdefghi", strict=True)
            ),
            "more than 50 aliases: refusing to expand them",
        ),
        (
            "python tag",
            "x: !!python/object/apply:os.system ['touch /tmp/pwned']\n",
            "tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed in content",
        ),
        ("python name", "x: !!python/name:os.system\n", "is not allowed in content"),
        ("deep nesting", "x: " + "[" * 5000 + "]" * 5000 + "\n", "values are nested too deeply"),
    ],
)
def test_hostile_yaml_fails_fast(
    content_copy: Path,
    check_work: int,
    name: str,
    text: str,
    message: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    (content_copy / "region.yaml").write_text(text, encoding="utf-8")
    code, work = calls_made(lambda: main(["check", "--content", str(content_copy)]))
    err = capsys.readouterr().err
    assert code == 1 and "content/region.yaml:" in err and message in err, err
    assert work < 1.5 * check_work, (work, check_work)  # refused, not expanded or recursed
    assert not Path("/tmp/pwned").exists()


def test_oversized_and_billion_character_files_are_refused_unread(
    content_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    huge = content_copy / "region.yaml"
    with huge.open("wb") as handle:  # a sparse file: one line of a billion characters
        handle.write(b"x: '")
        handle.seek(1_000_000_000)
        handle.write(b"'\n")
    before = bytes_read()
    code = main(["check", "--content", str(content_copy)])
    err = capsys.readouterr().err
    assert code == 1
    assert "content/region.yaml:1:1: file is 1,000,000,002 bytes, more than the limit" in err
    assert bytes_read() - before < 50_000_000  # the rest of the content, not the huge file


def bytes_read() -> int:
    """The bytes this process has read from files and pipes so far (Linux: rchar)."""
    io_counts = Path("/proc/self/io").read_text(encoding="ascii").split()
    return int(io_counts[io_counts.index("rchar:") + 1])


def test_fetcher_serves_only_project_files(tmp_path: Path, loopback: Loopback) -> None:
    from bmr_materials.shared.pdf.fetcher import project_fetcher

    fetcher = project_fetcher(tmp_path)
    logo = (PROJECT / "assets/logo/ihr-logo.svg").as_uri()
    assert fetcher.fetch(logo) is not None
    for url in (
        "file:///etc/passwd",
        (PROJECT / "assets/../pyproject.toml").as_uri(),
        f"{loopback.url}/x.svg",
        "https://example.org/x.png",
    ):
        with pytest.raises(RenderError) as caught:
            fetcher.fetch(url)
        assert url.split("/")[-1] in str(caught.value)
    assert loopback.requests == []
