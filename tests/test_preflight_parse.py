"""The content streams preflight follows read the same through its own line reader as through
pikepdf's parser: in real brochures and decks, and in streams only pikepdf reads right."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pikepdf
import pytest

from bmr_materials.shared.preflight import parse


def _comparable(instructions: list[parse.Instruction]) -> list[tuple[str, Any]]:
    def plain(value: Any) -> Any:
        if isinstance(value, list):
            return [plain(v) for v in value]
        if isinstance(value, pikepdf.Name):
            return str(value)
        if isinstance(value, dict | pikepdf.Dictionary):
            return "<<dictionary>>"  # marked-content properties: no check reads them
        return value

    return [(op, plain(args)) for op, args in instructions if op != parse.INLINE_IMAGE]


def _streams(pdf: pikepdf.Pdf) -> list[Any]:
    forms = [
        o for o in pdf.objects if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Form"
    ]
    return [*pdf.pages, *forms]


@pytest.mark.parametrize(
    "path",
    [
        "en/brochures/overview-en-print.pdf",
        "ja/brochures/overview-ja-screen.pdf",
        "de/decks/*.pdf",
    ],
)
def test_the_line_reader_reads_real_outputs_as_pikepdf_does(built: Path, path: str) -> None:
    with pikepdf.open(sorted(built.glob(path))[0]) as pdf:
        read = 0
        for content in _streams(pdf):
            data = parse._content_bytes(content)
            assert data is not None
            fast = parse._tokenized(data) if not parse._UNPLAIN.search(data) else None
            read += fast is not None
            expected = _comparable(parse._by_pikepdf(content))
            assert _comparable(parse.instructions(content)) == expected
            if fast is not None:
                assert _comparable(fast) == expected
        assert read  # the line reader, not only the fallback, was compared


def test_literal_strings_and_inline_images_go_through_pikepdf() -> None:
    pdf = pikepdf.new()
    stream = pdf.make_stream(
        b"BT /F1 12 Tf 10 20 Td (a \\) b) Tj [(x) -20 <0041>] TJ ET\n"
        b"q 2 0 0 2 0 0 cm BI /W 1 /H 1 /BPC 8 /CS /G ID \x80 EI Q\n"
    )
    assert parse._UNPLAIN.search(stream.read_bytes())
    found = parse.instructions(stream)
    ops = [op for op, _ in found]
    assert ops == ["BT", "Tf", "Td", "Tj", "TJ", "ET", "q", "cm", parse.INLINE_IMAGE, "Q"]
    assert found[3][1] == [b"a ) b"]
    assert found[4][1] == [[b"x", -20.0, b"\x00A"]]


def test_a_stream_of_numbers_names_and_hex_strings_is_read_line_by_line() -> None:
    data = b"q\n1 0 0 1 5.5 -.5 cm\n/F1 9 Tf\n[<0041> 120 <00420043>] TJ\n/Span <</MCID 3>> BDC\nQ"
    found = parse._tokenized(data)
    assert found is not None
    assert _comparable(found) == [
        ("q", []),
        ("cm", [1.0, 0.0, 0.0, 1.0, 5.5, -0.5]),
        ("Tf", ["/F1", 9.0]),
        ("TJ", [[b"\x00A", 120.0, b"\x00B\x00C"]]),
        ("BDC", ["/Span", "<<dictionary>>"]),
        ("Q", []),
    ]
    assert parse._tokenized(b"[1 2") is None  # an array left open: pikepdf decides
