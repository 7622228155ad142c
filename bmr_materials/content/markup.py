"""Turn content text (a small Markdown subset) into safe HTML or into styled runs for decks.

Allowed: paragraphs (blank line), **bold**, *italic*, [links](https://...) and '- ' bullet
lists. Raw HTML is shown as text, never interpreted; links other than http(s), mailto and
tel are not links.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup

ALLOWED_LINK = re.compile(r"^(https?://|mailto:|tel:)", re.IGNORECASE)


@dataclass(frozen=True)
class Run:
    """A piece of text with one style."""

    text: str
    bold: bool = False
    italic: bool = False
    href: str | None = None


@dataclass(frozen=True)
class Block:
    """A paragraph, or one item of a bullet list."""

    runs: tuple[Run, ...]
    bullet: bool = False

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


@cache
def _parser() -> MarkdownIt:
    md = MarkdownIt("zero").enable(["emphasis", "link", "list", "paragraph", "newline"])
    md.validateLink = lambda url: bool(ALLOWED_LINK.match(url))  # type: ignore[method-assign]
    return md


def to_html(text: str) -> Markup:
    """Block HTML: paragraphs and lists."""
    return Markup(_parser().render(text).strip())


def to_inline_html(text: str) -> Markup:
    """Inline HTML for a one-line text (no surrounding <p>)."""
    return Markup(_parser().renderInline(text).strip())


def to_blocks(text: str) -> list[Block]:
    """Paragraphs and bullet items as styled runs."""
    blocks: list[Block] = []
    bullet = False
    for token in _parser().parse(text):
        if token.type == "bullet_list_open":
            bullet = True
        elif token.type == "bullet_list_close":
            bullet = False
        elif token.type == "inline":
            blocks.append(Block(tuple(_runs(token.children or [])), bullet))
    return blocks


def _runs(children: list[Token]) -> list[Run]:
    runs: list[Run] = []
    bold = italic = False
    href: str | None = None
    for child in children:
        if child.type in ("strong_open", "strong_close"):
            bold = child.type == "strong_open"
        elif child.type in ("em_open", "em_close"):
            italic = child.type == "em_open"
        elif child.type == "link_open":
            href = str(child.attrs.get("href"))
        elif child.type == "link_close":
            href = None
        elif child.type in ("softbreak", "hardbreak"):
            runs.append(Run(" " if child.type == "softbreak" else "\n", bold, italic, href))
        elif child.content:
            runs.append(Run(child.content, bold, italic, href))
    return runs


def plain(text: str) -> str:
    """The text without markup, paragraphs joined by blank lines."""
    return "\n\n".join(block.text for block in to_blocks(text))


@cache
def _any_link_parser() -> MarkdownIt:
    md = MarkdownIt("zero").enable(["link", "list", "paragraph"])
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    md.normalizeLink = lambda url: url  # type: ignore[method-assign]
    return md


def links(text: str) -> list[str]:
    """Every link target written in `text`, allowed or not."""
    if "](" not in text:  # no inline link (the only kind the parser reads): most texts
        return []
    found = []
    for token in _any_link_parser().parse(text):
        for child in token.children or []:
            if child.type == "link_open":
                found.append(str(child.attrs.get("href")))
    return found


def shown_url(url: str) -> str:
    """A web address as people read it: 'example.org/projects/...' (no scheme, no www.)."""
    return url.split("://", 1)[-1].removeprefix("www.").rstrip("/")


def tel_href(phone: str) -> str:
    """The tel: link of a phone number as written ('+49 203 123' -> 'tel:+49203123')."""
    return "tel:" + "".join(c for c in phone if c.isdigit() or c == "+")
