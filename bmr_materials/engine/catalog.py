"""Take the manifest of a build and the content and write output/index.html: every brochure
and deck per language with thumbnails, sizes, page counts, relative links to the files, and
the figures each shows with period and source. One self-contained page that works opened
from disk, offline, with no build times in it (the same content gives the same bytes).

Thumbnails are PNGs rendered with pypdfium2 into output/thumbnails/, named after the output
and the first 12 hex digits of its sha256, so they are made again only when the file changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from bmr_materials.content.model import Content
from bmr_materials.resources import builder_root
from bmr_materials.shared.i18n import Formatter, formatter
from bmr_materials.shared.kind import CatalogInfo, OutputKind
from bmr_materials.shared.repro import atomic_write, build_timestamp

PROJECT = builder_root()
TEMPLATES = PROJECT / "templates" / "catalog"
THUMBNAILS = "thumbnails"
THUMB_PAGES = 2


@dataclass
class Item:
    """One output (a brochure, a deck, ...) in one language, with its files."""

    kind: str
    id: str
    lang: str
    title: str
    page: str = ""  # "Page" or "Slide", in the language
    hint: str = ""  # why there is no preview
    files: list[dict[str, Any]] = field(default_factory=list)
    thumbnails: list[str] = field(default_factory=list)
    figures: list[dict[str, Any]] = field(default_factory=list)
    pages: int | None = None


# --- thumbnails ------------------------------------------------------------------------------


def thumbnails(out: Path, row: dict[str, Any], width: int) -> list[str]:
    """Relative paths of PNGs of the first pages of the PDF `row`, rendered when missing."""
    path = Path(row["path"])  # two kinds may share an id: their folder tells them apart
    stem = f"{path.parent.name}-{path.stem}" if path.parent.name else path.stem
    folder = out / THUMBNAILS
    names = [f"{stem}-{row['sha256'][:12]}-{n}.png" for n in range(1, THUMB_PAGES + 1)]
    if not all((folder / name).is_file() for name in names[: row.get("pages") or 1]):
        names = _render(out / row["path"], folder, names, width)
        for old in folder.glob(f"{stem}-*.png"):
            if old.name not in names and old.name.removeprefix(stem + "-").count("-") == 1:
                old.unlink()
    else:
        names = [n for n in names if (folder / n).is_file()]
    return [f"{THUMBNAILS}/{name}" for name in names]


def _render(pdf_path: Path, folder: Path, names: list[str], width: int) -> list[str]:
    import io

    import pypdfium2 as pdfium

    made = []
    document = pdfium.PdfDocument(pdf_path)
    try:
        for index, name in enumerate(names[: len(document)]):
            page = document[index]
            image = page.render(scale=width / page.get_width()).to_pil()
            buffer = io.BytesIO()
            image.save(buffer, format="PNG", optimize=True)
            atomic_write(folder / name, buffer.getvalue())
            made.append(name)
            page.close()
    finally:
        document.close()
    return made


# --- what the page shows ---------------------------------------------------------------------


def figure_rows(content: Content, ids: list[str], fmt: Formatter) -> list[dict[str, Any]]:
    """Label, value, period and source of every figure or series in `ids`."""
    lang, rows = fmt.code, []
    for fid in ids:
        if fid in content.figures.figures:
            fig = content.figures.figures[fid]
            rows.append(
                {
                    "id": fid,
                    "label": fig.label[lang],
                    "value": fmt.figure(fig),
                    "period": fmt.period(fig.period),
                    "sources": [{"name": fig.source.name[lang], "urls": [fig.source.url]}],
                }
            )
        elif fid in content.figures.series:
            series = content.figures.series[fid]
            first, last = series.points[0], series.points[-1]
            sources: dict[str, list[str]] = {}  # name -> links, in the order of the points
            for point in series.points:
                urls = sources.setdefault(point.source.name[lang], [])
                if point.source.url not in urls:
                    urls.append(point.source.url)
            rows.append(
                {
                    "id": fid,
                    "label": series.label[lang],
                    "value": f"{fmt.figure(first, series)} – {fmt.figure(last, series)}",
                    "period": f"{fmt.period(first.period)}–{fmt.period(last.period)}",
                    "sources": [{"name": n, "urls": u} for n, u in sources.items()],
                }
            )
    return rows


def human_size(size: int, fmt: Formatter) -> str:
    """1234567 -> '1.2 MB' (en) / '1,2 MB' (de)."""
    from babel.numbers import format_decimal

    for unit, factor in (("MB", 1e6), ("kB", 1e3)):
        if size >= factor:
            return f"{format_decimal(size / factor, '#,##0.#', locale=fmt.locale)} {unit}"
    return f"{size} B"


def items(
    out: Path, content: Content, rows: list[dict[str, Any]], lang: str, kind: OutputKind
) -> list[Item]:
    """Every output of `kind` built in `lang`, in content order, with their files."""
    fmt, info = formatter(lang, content), kind.catalog
    t = fmt.gettext
    found: dict[str, Item] = {}
    for row in rows:
        if row["lang"] != lang or row["kind"] != kind.name:
            continue
        item = found.setdefault(
            row["id"],
            Item(
                kind.name,
                row["id"],
                lang,
                kind.title(content, row["id"], lang),
                t(info.page),
                info.no_preview,
            ),
        )
        variant = row["variant"]
        notes = [t(info.notes[variant])] if variant in info.notes else []
        if row.get("pages"):
            notes.append(t(info.pages).format(count=row["pages"]))
        notes.append(human_size(int(row["size"]), fmt))
        item.files.append(
            {
                **row,
                "href": quote(row["path"]),
                "label": t(info.labels.get(variant, variant)),
                "note": " · ".join(notes),
            }
        )
    order = {item_id: n for n, item_id in enumerate(kind.order(content))}
    for item in found.values():
        item.files.sort(
            key=lambda f: (
                f["variant"] not in info.preview,
                info.preview.index(f["variant"]) if f["variant"] in info.preview else 0,
            )
        )
        _describe(out, content, item, fmt, info)
    return sorted(found.values(), key=lambda i: (order.get(i.id, len(order)), i.id))


def _describe(out: Path, content: Content, item: Item, fmt: Formatter, info: CatalogInfo) -> None:
    pdfs = [f for f in item.files if f["path"].endswith(".pdf")]
    preferred = [f for f in pdfs if f["variant"] in info.preview] + pdfs
    preview = preferred[0] if preferred else None
    if preview and (out / preview["path"]).is_file():
        item.thumbnails = thumbnails(out, preview, info.thumb_width)
        item.pages = preview.get("pages")
    ids = sorted(
        {fid for f in item.files for fid in f.get("figure_ids") or ()},
        key=lambda fid: (fid not in content.figures.figures, fid),
    )
    item.figures = figure_rows(content, ids, fmt)


def page_context(out: Path, content: Content, kinds: Sequence[OutputKind]) -> dict[str, Any]:
    """Everything index.html shows."""
    from bmr_materials.engine.manifest import Manifest

    rows = Manifest(out).outputs()
    built = build_timestamp(content)
    sections = []
    for lang in content.languages:
        fmt = formatter(lang, content)
        groups = [
            {
                "kind": kind.name,
                "heading": fmt.gettext(kind.catalog.heading),
                "items": items(out, content, rows, lang, kind),
            }
            for kind in kinds
        ]
        groups = [g for g in groups if g["items"]]
        if not groups:
            continue
        sections.append(
            {
                "lang": lang,
                "tag": content.campaign.languages[lang].tag,
                "name": content.campaign.languages[lang].name,
                "t": fmt.gettext,
                "groups": groups,
                "claim": content.campaign.claim[lang],
                "date": fmt.date(built.date().isoformat()),
                "size": lambda n, f=fmt: human_size(n, f),
            }
        )
    return {
        "campaign": content.campaign.name,
        "sections": sections,
        "colours": {k: c.rgb for k, c in content.campaign.brand.colours.items()},
        "total": len(rows),
        "generated": built.replace(microsecond=0).astimezone(dt.UTC).isoformat(),
    }


def render_page(context: dict[str, Any]) -> str:
    """index.html from templates/catalog/, its CSS inlined."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    css = (TEMPLATES / "catalog.css").read_text(encoding="utf-8")
    return env.get_template("index.html.j2").render(**context, css=css)


def catalog_key(rows: list[dict[str, Any]], content: Content) -> str:
    """A digest of everything index.html is made from: the outputs, the content, the
    catalog's templates. The manifest records it once the catalog is written."""
    import hashlib
    import json

    digest = hashlib.sha256(json.dumps(rows, sort_keys=True).encode())
    digest.update(content.model_dump_json().encode())
    for template in sorted(TEMPLATES.iterdir()):
        digest.update(template.name.encode() + template.read_bytes())
    return digest.hexdigest()


def write_catalog(out: Path, content: Content, kinds: Sequence[OutputKind]) -> Path:
    """Write output/index.html (and the thumbnails it shows); return its path."""
    path = out / "index.html"
    context = page_context(out, content, kinds)
    atomic_write(path, render_page(context).encode("utf-8"))
    _remove_unused_thumbnails(out, context)
    return path


def _remove_unused_thumbnails(out: Path, context: dict[str, Any]) -> None:
    """Delete thumbnails of outputs that are gone (a removed deck, a dropped language)."""
    used = {
        Path(name).name
        for section in context["sections"]
        for group in section["groups"]
        for item in group["items"]
        for name in item.thumbnails
    }
    for png in (out / THUMBNAILS).glob("*.png"):
        if png.name not in used:
            png.unlink()
