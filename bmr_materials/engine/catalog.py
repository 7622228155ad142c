"""Take the manifest of a build and the content and write output/index.html: every brochure
and deck per language with thumbnails, sizes, page counts, build times, relative links to the
files, and the figures each shows with period and source. One self-contained page that works
opened from disk, offline.

Thumbnails are PNGs rendered with pypdfium2 into output/thumbnails/, named after the output
and the first 12 hex digits of its sha256, so they are made again only when the file changed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from bmr_materials.content.model import Content
from bmr_materials.resources import builder_root
from bmr_materials.shared.i18n import N_, Formatter, formatter
from bmr_materials.shared.repro import atomic_write, build_timestamp

PROJECT = builder_root()
TEMPLATES = PROJECT / "templates" / "catalog"
THUMBNAILS = "thumbnails"
THUMB_WIDTH = {"brochure": 300, "deck": 320}  # pixels
THUMB_PAGES = 2
LIBREOFFICE_HINT = ("Install LibreOffice Impress (sudo apt-get install libreoffice-impress) "
                    "and build again to get slide previews and a PDF of each deck.")


@dataclass
class Item:
    """One brochure or deck in one language, with its files."""

    kind: str
    id: str
    lang: str
    title: str
    files: list[dict[str, Any]] = field(default_factory=list)
    thumbnails: list[str] = field(default_factory=list)
    figures: list[dict[str, Any]] = field(default_factory=list)
    pages: int | None = None
    seconds: float = 0.0


# --- thumbnails ------------------------------------------------------------------------------


def thumbnails(out: Path, row: dict[str, Any], kind: str) -> list[str]:
    """Relative paths of PNGs of the first pages of the PDF `row`, rendered when missing."""
    stem = Path(row["path"]).stem
    folder = out / THUMBNAILS
    names = [f"{stem}-{row['sha256'][:12]}-{n}.png" for n in range(1, THUMB_PAGES + 1)]
    if not all((folder / name).is_file() for name in names[: row.get("pages") or 1]):
        names = _render(out / row["path"], folder, names, THUMB_WIDTH[kind])
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


def title_of(content: Content, kind: str, item_id: str, lang: str) -> str:
    """The title of a brochure or deck in `lang` (its id when the content has none)."""
    if kind == "deck" and item_id in content.decks:
        return content.decks[item_id].title[lang]
    if item_id == "overview":
        return content.region.title[lang]
    if item_id == "campus-bochum":
        return content.campus.title[lang]
    if item_id in content.fields:
        return content.fields[item_id].title[lang]
    return item_id


def figure_rows(content: Content, ids: list[str], fmt: Formatter) -> list[dict[str, Any]]:
    """Label, value, period and source of every figure or series in `ids`."""
    lang, rows = fmt.code, []
    for fid in ids:
        if fid in content.figures.figures:
            fig = content.figures.figures[fid]
            rows.append({"id": fid, "label": fig.label[lang], "value": fmt.figure(fig),
                         "period": fmt.period(fig.period),
                         "sources": [{"name": fig.source.name[lang], "urls": [fig.source.url]}]})
        elif fid in content.figures.series:
            series = content.figures.series[fid]
            first, last = series.points[0], series.points[-1]
            sources: dict[str, list[str]] = {}  # name -> links, in the order of the points
            for point in series.points:
                urls = sources.setdefault(point.source.name[lang], [])
                if point.source.url not in urls:
                    urls.append(point.source.url)
            rows.append({"id": fid, "label": series.label[lang],
                         "value": f"{fmt.figure(first, series)} – {fmt.figure(last, series)}",
                         "period": f"{fmt.period(first.period)}–{fmt.period(last.period)}",
                         "sources": [{"name": n, "urls": u} for n, u in sources.items()]})
    return rows


def human_size(size: int, fmt: Formatter) -> str:
    """1234567 -> '1.2 MB' (en) / '1,2 MB' (de)."""
    from babel.numbers import format_decimal

    for unit, factor in (("MB", 1e6), ("kB", 1e3)):
        if size >= factor:
            return f"{format_decimal(size / factor, '#,##0.#', locale=fmt.locale)} {unit}"
    return f"{size} B"


def seconds(value: float, fmt: Formatter) -> str:
    from babel.numbers import format_decimal

    return f"{format_decimal(value, '#,##0.0', locale=fmt.locale)} s"


VARIANT_LABELS = {"print": N_("Print PDF"), "screen": N_("Screen PDF"),
                  "pptx": N_("PowerPoint"), "pdf": N_("PDF")}
VARIANT_NOTES = {"print": N_("PDF/X-4, 3 mm bleed"), "screen": N_("accessible, with links"),
                 "pptx": N_("16:9, speaker notes"), "pdf": N_("made with LibreOffice")}
PAGES = {"brochure": N_("{count} pages"), "deck": N_("{count} slides")}
ORDER = {"screen": 0, "print": 1, "pptx": 0, "pdf": 1}


def items(out: Path, content: Content, rows: list[dict[str, Any]], lang: str) -> list[Item]:
    """Every brochure and deck built in `lang`, in content order, with their files."""
    fmt = formatter(lang, content.campaign.languages)
    found: dict[tuple[str, str], Item] = {}
    for row in rows:
        if row["lang"] != lang:
            continue
        key = (row["kind"], row["id"])
        item = found.setdefault(key, Item(row["kind"], row["id"], lang,
                                          title_of(content, row["kind"], row["id"], lang)))
        variant, t = row["variant"], fmt.gettext
        notes = [t(VARIANT_NOTES[variant])] if variant in VARIANT_NOTES else []
        if row.get("pages"):
            notes.append(t(PAGES[item.kind]).format(count=row["pages"]))
        notes.append(human_size(int(row["size"]), fmt))
        item.files.append({**row, "href": quote(row["path"]),
                           "label": t(VARIANT_LABELS.get(variant, variant)),
                           "note": " · ".join(notes)})
    for item in found.values():
        # a target's files share its build time: sum the targets, not the files
        times = {f["fingerprint"]: float(f.get("seconds") or 0) for f in item.files}
        item.seconds = sum(times.values())
        item.files.sort(key=lambda f: ORDER.get(f["variant"], 9))
        _describe(out, content, item, fmt)
    order = _order(content)
    return sorted(found.values(), key=lambda i: (i.kind != "brochure", order.get(i.id, 99), i.id))


def _describe(out: Path, content: Content, item: Item, fmt: Formatter) -> None:
    pdfs = [f for f in item.files if f["path"].endswith(".pdf")]
    preferred = [f for f in pdfs if f["variant"] in ("screen", "pdf")] + pdfs
    preview = preferred[0] if preferred else None
    if preview and (out / preview["path"]).is_file():
        item.thumbnails = thumbnails(out, preview, item.kind)
        item.pages = preview.get("pages")
    ids = sorted({fid for f in item.files for fid in f.get("figure_ids") or ()},
                 key=lambda fid: (fid not in content.figures.figures, fid))
    item.figures = figure_rows(content, ids, fmt)


def _order(content: Content) -> dict[str, int]:
    from bmr_materials.kinds.brochures.context import brochure_ids

    ids = [*brochure_ids(content), *content.decks]
    return {item_id: n for n, item_id in enumerate(ids)}


def page_context(out: Path, content: Content) -> dict[str, Any]:
    """Everything index.html shows."""
    from bmr_materials.engine.manifest import Manifest

    rows = Manifest(out).outputs()
    built = build_timestamp(content)
    sections = []
    for lang in content.languages:
        fmt = formatter(lang, content.campaign.languages)
        found = items(out, content, rows, lang)
        if not found:
            continue
        sections.append({
            "lang": lang, "tag": content.campaign.languages[lang].tag,
            "name": content.campaign.languages[lang].name, "t": fmt.gettext,
            "brochures": [i for i in found if i.kind == "brochure"],
            "decks": [i for i in found if i.kind == "deck"],
            "claim": content.campaign.claim[lang],
            "date": fmt.date(built.date().isoformat()),
            "size": lambda n, f=fmt: human_size(n, f), "seconds": lambda s, f=fmt: seconds(s, f),
        })
    return {"campaign": content.campaign.name, "sections": sections,
            "colours": {k: c.rgb for k, c in content.campaign.brand.colours.items()},
            "hint": LIBREOFFICE_HINT, "total": len(rows),
            "generated": built.replace(microsecond=0).astimezone(dt.UTC).isoformat()}


def render_page(context: dict[str, Any]) -> str:
    """index.html from templates/catalog/, its CSS inlined."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    css = (TEMPLATES / "catalog.css").read_text(encoding="utf-8")
    return env.get_template("index.html.j2").render(**context, css=css)


def write_catalog(out: Path, content: Content) -> Path:
    """Write output/index.html (and the thumbnails it shows); return its path."""
    path = out / "index.html"
    context = page_context(out, content)
    atomic_write(path, render_page(context).encode("utf-8"))
    _remove_unused_thumbnails(out, context)
    return path


def _remove_unused_thumbnails(out: Path, context: dict[str, Any]) -> None:
    """Delete thumbnails of outputs that are gone (a removed deck, a dropped language)."""
    used = {Path(name).name for section in context["sections"]
            for item in section["brochures"] + section["decks"] for name in item.thumbnails}
    for png in (out / THUMBNAILS).glob("*.png"):
        if png.name not in used:
            png.unlink()
