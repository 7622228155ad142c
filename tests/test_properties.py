"""Property tests: any text or figure value either passes `check` and shows up in the output,
or fails with a content error; never a traceback, a hang or a broken file."""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pikepdf
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bmr_materials.content.load import load_content
from bmr_materials.errors import ContentError
from tests.conftest import CONTENT, PROJECT, pdf_page_texts, set_value

# the fast lane (make test-fast) tries fewer examples; `make test` the full number
EXAMPLES = 12 if os.environ.get("FAST_LANE") else 60

TRICKY = st.sampled_from(
    [
        "Düsseldorf – Straße „Grüß Gott“ ß €",
        "\"quotes\" 'single' «guillemets»",
        "Donaudampfschifffahrtsgesellschaftskapitänsmützenabzeichen" * 3,
        "مرحبا بالعالم",
        "שלום עולם",
        "🚀🏥💊",
        "<script>alert(1)</script>",
        "a\u0007b",
        "x" * 3000,
        "Zeile\n\nNeuer Absatz",
        "**fett** *kursiv* [Link](https://example.org)",
        "- eins\n- zwei",
        "\u00a0\u2009\u200b",
        "\\",
        "{{ 7*7 }} {% if %}",
    ]
)
TEXTS = st.one_of(TRICKY, st.text(min_size=1, max_size=400))
VALUES = st.one_of(
    st.sampled_from([0, -1, -0.5, 1e15, 123456789.123456, 0.000001, 1e300]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**20), max_value=10**20),
)


def _project(tmp: Path) -> Path:
    root = tmp / "project"
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(CONTENT, root / "content")
    shutil.copytree(PROJECT / "assets", root / "assets")
    return root / "content"


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(text=TEXTS)
def test_any_text_checks_or_fails_with_a_content_error(tmp_path: Path, text: str) -> None:
    content = _project(tmp_path)
    set_value(content, "fields/medtech.yaml", ["lead", "en"], text)
    try:
        loaded = load_content(content)
    except ContentError as exc:
        where = f"{content}/"  # outside the current folder: shown whole
        assert exc.problems and all(p.file.startswith(where) for p in exc.problems)
        return
    written = yaml.safe_load((content / "fields/medtech.yaml").read_text(encoding="utf-8"))
    assert loaded.content.fields["medtech"].lead["en"] == written["lead"]["en"]  # YAML's view


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(value=VALUES)
def test_any_figure_value_checks_or_fails_with_a_content_error(
    tmp_path: Path, value: float
) -> None:
    content = _project(tmp_path)
    set_value(content, "figures.yaml", ["figures", "digital_health_specialists", "value"], value)
    try:
        loaded = load_content(content)
    except ContentError as exc:
        assert any("digital_health_specialists.value" in p.key_path for p in exc.problems)
        return
    assert loaded.content.figures.figures["digital_health_specialists"].value == value


def _pdf_text(data: bytes) -> str:
    return "\n".join(pdf_page_texts(data))


@pytest.mark.slow
@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=TEXTS, value=VALUES)
def test_a_brochure_renders_any_valid_text_and_value(
    tmp_path: Path, text: str, value: float
) -> None:
    from bmr_materials.kinds.brochures.context import brochure_context
    from bmr_materials.kinds.brochures.render import render_brochure

    content = _project(tmp_path)
    set_value(content, "fields/digital-health.yaml", ["lead", "en"], text)
    set_value(content, "figures.yaml", ["figures", "digital_health_specialists", "value"], value)
    try:
        loaded = load_content(content)
    except ContentError:
        return
    context = brochure_context(loaded.content, "digital-health", "en", "screen")
    data = render_brochure(context, tmp_path / "cache")
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) >= 4
    shown = _pdf_text(data)
    words = [w for w in text.replace("*", " ").split() if w.isalnum() and len(w) < 30]
    for word in words[:5]:
        assert word in shown.replace("\u00ad", "").replace("-\n", "").replace("\r\n", " ")
