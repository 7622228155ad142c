"""Languages as content: what a partial language needs, names kept whole per language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bmr_materials.content.languages import _walk, output_ids, texts_shown
from bmr_materials.content.load import Loaded
from bmr_materials.kinds.brochures import render as brochure_render
from bmr_materials.kinds.brochures.context import brochure_context
from bmr_materials.kinds.decks.context import deck_context
from tests.conftest import PROJECT


def test_a_partial_language_needs_exactly_the_texts_its_outputs_show(loaded: Loaded) -> None:
    """Drop every Japanese text the declared outputs do not show: they still build, so the
    list `check` works from is complete."""
    content = loaded.content.model_copy(deep=True)
    outputs = content.campaign.languages["ja"].outputs
    assert outputs == ["overview", "international-health-ruhr"]
    shown = {id(text) for out in outputs for _, _, text in texts_shown(content, out)}
    parts = [
        content.campaign,
        content.figures,
        content.region,
        *content.sites.values(),
        *content.fields.values(),
        *content.decks.values(),
    ]
    dropped = 0
    for part in parts:
        for _, _, text in _walk("", (), part):
            if id(text) not in shown and "ja" in text:
                del text["ja"]
                dropped += 1
    assert dropped >= 0  # the shipped ja texts are (now) all shown somewhere
    assert brochure_context(content, "overview", "ja", "screen")["title"]
    deck = deck_context(
        content, "international-health-ruhr", "ja", native_charts=False, template=None
    )
    assert len(deck["slides"]) == len(content.decks["international-health-ruhr"].slides)


def test_japanese_is_made_only_for_its_outputs(loaded: Loaded) -> None:
    content = loaded.content
    made = [o for o in output_ids(content) if content.makes("ja", o)]
    assert made == ["overview", "international-health-ruhr"]
    assert all(content.makes(lang, o) for lang in ("de", "en", "fr") for o in output_ids(content))


def test_names_from_the_content_are_never_hyphenated(loaded: Loaded) -> None:
    names = loaded.content.campaign.languages["de"].keep_whole
    html = (
        "<html><body><p>Im Ruhrgebiet, in Essen (nicht Essentiell) und bei "
        "GesundheitsCampus: gc-bo.de und example-site.org, z.B. d.h.</p></body></html>"
    )
    kept = brochure_render.keep_names_whole(html, names)
    assert '<span class="nh">Ruhrgebiet</span>' in kept
    assert '<span class="nh">Essen</span>' in kept and "Essentiell" in kept
    assert '<span class="nh">Essentiell</span>' not in kept
    assert '<span class="nh">GesundheitsCampus</span>' in kept  # inner capital: a name
    assert '<span class="nobr">gc-bo.de</span>' in kept
    assert '<span class="nobr">example-site.org</span>' in kept
    assert 'nobr">z.B' not in kept and 'nobr">d.h' not in kept


def test_japanese_names_are_not_broken_between_characters(loaded: Loaded) -> None:
    names = loaded.content.campaign.languages["ja"].keep_whole
    html = "<html><body><h1>ルール地方のヘルスケア産業の可能性</h1></body></html>"
    kept = brochure_render.keep_names_whole(html, names)
    assert '<span class="nobr">ルール地方</span>の<span class="nobr">ヘルスケア</span>産業' in kept


@pytest.mark.parametrize("lang", ["de", "en", "fr", "ja"])
def test_every_language_names_what_it_keeps_whole(loaded: Loaded, lang: str) -> None:
    assert "Ruhr*" in loaded.content.campaign.languages[lang].keep_whole


def test_no_place_name_or_top_level_domain_in_the_code(loaded: Loaded) -> None:
    """The names kept whole come from the content, per language; the code lists none."""
    names = {
        n.rstrip("*")
        for lang in loaded.content.campaign.languages.values()
        for n in lang.keep_whole
    }
    code = [p for p in (PROJECT / "bmr_materials").rglob("*.py")]
    for path in code:
        text = path.read_text(encoding="utf-8")
        # The campaign's and publisher's own names (Ruhr, Business Metropole) are the brand's
        # part of the issue; here: places, institutions and top-level domains.
        for name in names - {"Ruhr", "Business", "Metropole"}:
            assert not re.search(rf"\b{re.escape(name)}", text), (path.name, name)
        assert not re.search(r"\|(de|ruhr|nrw)\b", text), path.name


@pytest.mark.parametrize(
    ("lang", "joined"),
    [
        ("de", "Stand: 2022"),
        ("en", "Period: 2022"),
        ("fr", "Période\u00a0: 2022"),
        ("ja", "基準時点：2022"),
    ],
)
def test_a_label_and_its_value_are_joined_as_the_language_writes_them(
    loaded: Loaded, tmp_path: Path, lang: str, joined: str
) -> None:
    ctx = brochure_context(loaded.content, "overview", lang, "screen")
    html = brochure_render.render_html(ctx, tmp_path)
    assert joined in html
    assert "{label}" not in html and "{value}" not in html
