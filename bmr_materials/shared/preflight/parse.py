"""Take a page or form XObject and produce its content stream as plain instructions:
(operator, operands) with numbers as floats, strings as bytes, arrays as lists and names as
pikepdf names, each stream parsed once per document.

Several checks follow the same pages (preflight.draw for colours and images, preflight.paint
for glyphs and paint); they share one `Parsed`, so a page and each form it draws are parsed
once, and the walks loop over Python values instead of pikepdf objects. The streams a PDF
writer makes (numbers, names, hex strings, arrays, marked-content dictionaries) are read by
one regular expression, several times faster than building pikepdf objects for each of the
100,000 path operators of a map; anything else (literal strings, inline images, escaped
names, comments) goes through `pikepdf.parse_content_stream`.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pikepdf

Instruction = tuple[str, list[Any]]
INLINE_IMAGE = "BI"  # operator of an inline image; its one operand is the PdfInlineImage
_STRING = pikepdf.ObjectType.string
_ARRAY = pikepdf.ObjectType.array


def plain(value: Any) -> Any:
    """An operand as a Python value: int and real -> float, string -> bytes, array -> list."""
    kind = type(value)
    if kind is int or kind is Decimal:
        return float(value)
    if kind is pikepdf.Object:
        code = value._type_code
        if code == _STRING:
            return bytes(value)
        if code == _ARRAY:
            return [plain(v) for v in value]
    return value


_TOKEN = re.compile(
    rb"(?P<number>[+-]?(?:\d+\.?\d*|\.\d+))(?![^\s/\[\]<>])"
    rb"|(?P<name>/[^\s/\[\]()<>{}%]*)"
    rb"|(?P<open>\[|<<)|(?P<close>\]|>>)"
    rb"|<(?P<hex>[0-9A-Fa-f\s]*)>"
    rb"|(?P<word>[^\s/\[\]()<>{}%]+)"
    rb"|(?P<other>\S)"
)
_UNPLAIN = re.compile(rb"[(%#{}]|(?<![^\s])(?:BI|ID|EI)(?![^\s])")
_SIMPLE = re.compile(rb"[\d.+\- \t\r]*[A-Za-z][A-Za-z*]*[ \t\r]*")  # "12 3.5 l"
_KEYWORDS = {b"true": True, b"false": False, b"null": None}


def instructions(content: Any) -> list[Instruction]:
    """The instructions of a page or content stream, operands as plain values."""
    data = _content_bytes(content)
    if data is not None and not _UNPLAIN.search(data):
        found = _tokenized(data)
        if found is not None:
            return found
    return _by_pikepdf(content)


def _content_bytes(content: Any) -> bytes | None:
    """The decoded content of a page (its streams joined by a newline) or of a stream."""
    try:
        if isinstance(content, pikepdf.Page):
            streams = content.obj.get("/Contents")
            if isinstance(streams, pikepdf.Array):
                return b"\n".join(s.read_bytes() for s in streams)
            return streams.read_bytes() if isinstance(streams, pikepdf.Stream) else b""
        return bytes(content.read_bytes())
    except pikepdf.PdfError:
        return None


def _tokenized(data: bytes) -> list[Instruction] | None:
    """`data` read line by line (a line of numbers and one operator directly, any other by
    _TOKEN), or None when it holds what only pikepdf reads right."""
    reader = _Reader()
    simple, add = _SIMPLE.fullmatch, reader.found.append
    for line in data.split(b"\n"):
        if simple(line) and reader.idle():
            parts = line.split()
            add((reader.operator(parts.pop()), list(map(float, parts))))
        elif not reader.read(line):
            return None
    return reader.found if reader.idle() else None


class _Reader:
    """Tokens to instructions, across lines: the operands so far and the open arrays."""

    def __init__(self) -> None:
        self.found: list[Instruction] = []
        self.operands: list[Any] = []
        self.nested: list[tuple[list[Any], bool]] = []  # enclosing lists; a dictionary?
        self.names: dict[bytes, Any] = {}

    def operator(self, token: bytes) -> str:
        if token not in self.names:
            self.names[token] = token.decode("latin-1")
        return self.names[token]

    def idle(self) -> bool:
        return not self.nested and not self.operands

    def read(self, line: bytes) -> bool:
        """Take the tokens of `line`; False on one only pikepdf reads right."""
        for match in _TOKEN.finditer(line):
            kind, token = match.lastgroup, match.group()
            if kind == "number":
                self.operands.append(float(token))
            elif kind == "name":
                if token not in self.names:
                    self.names[token] = pikepdf.Name(token.decode("latin-1"))
                self.operands.append(self.names[token])
            elif kind == "hex":
                digits = re.sub(rb"\s", b"", match.group("hex"))
                self.operands.append(bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode()))
            elif kind == "open":
                self.nested.append((self.operands, token == b"<<"))
                self.operands = []
            elif kind == "close" and self.nested and self.nested[-1][1] == (token == b">>"):
                outer, is_dict = self.nested.pop()
                inner = self.operands
                outer.append(dict(zip(inner[::2], inner[1::2], strict=False)) if is_dict else inner)
                self.operands = outer
            elif kind == "word" and (self.nested or token in _KEYWORDS):
                self.operands.append(_KEYWORDS.get(token, token))
            elif kind == "word":
                self.found.append((self.operator(token), self.operands))
                self.operands = []
            else:
                return False
        return True


def _by_pikepdf(content: Any) -> list[Instruction]:
    found: list[Instruction] = []
    for inst in pikepdf.parse_content_stream(content):
        if isinstance(inst, pikepdf.ContentStreamInlineImage):
            found.append((INLINE_IMAGE, [inst.iimage]))
        else:
            found.append((str(inst.operator), [plain(v) for v in inst.operands]))
    return found


class Parsed:
    """The instructions of each page and form of one document, parsed on first use."""

    def __init__(self) -> None:
        self._found: dict[Any, list[Instruction]] = {}

    def __call__(self, content: Any) -> list[Instruction]:
        """`content` (a pikepdf.Page or a form XObject) as plain instructions."""
        obj = content.obj if isinstance(content, pikepdf.Page) else content
        key = obj.objgen if obj.is_indirect else id(obj)
        if key not in self._found:
            self._found[key] = instructions(content)
        return self._found[key]
