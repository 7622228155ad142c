"""Take the region's map block of the content and draw its locator map: Europe with the
campaign's country and region marked, beside an enlarged view of the region with its cities.

The countries come from the Natural Earth extract in the builder's assets
(`assets/maps/europe.geojson`, public domain, see its NOTICE); the region's outline, its name
and the cities are content (`region.yaml`, `map:`). Every word the map prints is content.
Usage:

    from bmr_materials.shared.locator_map import map_context, map_path, render_map

    context = map_context(content, "de")          # None when the content has no map
    svg = render_map(context, "svg")              # screen (brochures, fact sheets)
    cmyk = render_map(context, "svg-cmyk")        # print: device-cmyk() colours
    png = render_map(context, "png")              # decks, 16:9 at 240 dpi
    path = map_path(context, "svg-cmyk", cache_dir)  # the same, cached as a file

Drawn with matplotlib (imported only when drawing), in the brand's colours; same context,
same bytes. The cached print SVG is made from the cached screen SVG, not drawn again.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from typing import Any

from bmr_materials.content.model import Content
from bmr_materials.resources import assets_dir
from bmr_materials.shared.charts import palette, svg_to_cmyk, tint
from bmr_materials.shared.repro import atomic_write, drawing_digest

MAP_STYLE_VERSION = "2"
DRAWING_CODE = tuple(
    f"bmr_materials.shared.{m}" for m in ("locator_map", "locator_draw", "map_geometry", "charts")
)
MEDIA = {"svg": "svg", "svg-cmyk": "svg", "png": "png"}
FIGSIZE = {"svg": (8.0, 4.2), "svg-cmyk": (8.0, 4.2), "png": (8.0, 4.5)}
PNG_DPI = 240
CENTRE = (10.0, 52.0)  # lon, lat of the projection's centre: the middle of Europe
EUROPE_MAP = ("maps", "europe.geojson")

Point = tuple[float, float]


@dataclass(frozen=True)
class City:
    """A marked place: its name as printed and its position."""

    name: str
    lon: float
    lat: float


@dataclass(frozen=True)
class MapContext:
    """Everything the map draws, for one language (JSON-serialisable, for fingerprints)."""

    lang: str
    country: str
    label: str
    alt: str
    outline: tuple[Point, ...]
    cities: tuple[City, ...]
    colours: dict[str, dict[str, Any]]
    font: str
    script_font: str | None


def map_context(content: Content, lang: str) -> MapContext | None:
    """The locator map of the content in language `lang`, or None when it has none."""
    given = content.region.map
    if given is None:
        return None
    return MapContext(
        lang=lang,
        country=given.country,
        label=given.label[lang],
        alt=given.alt[lang],
        outline=tuple((float(lon), float(lat)) for lon, lat in given.outline),
        cities=tuple(City(c.name, float(c.lon), float(c.lat)) for c in given.cities),
        colours={
            name: {"rgb": c.rgb.upper(), "cmyk": [float(v) for v in c.cmyk]}
            for name, c in content.campaign.brand.colours.items()
        },
        font=content.campaign.brand.font,
        script_font=content.campaign.languages[lang].font,
    )


def map_key(context: MapContext, medium: str) -> str:
    """The fingerprint of one picture of the map: context, medium, data and style version."""
    code = drawing_digest(DRAWING_CODE, ("matplotlib",))
    blob = json.dumps([asdict(context), medium, MAP_STYLE_VERSION, _data_digest(), code])
    return hashlib.sha256(blob.encode()).hexdigest()


def map_path(context: MapContext, medium: str, cache_dir: Path) -> Path:
    """The map as a cached file under `<cache_dir>/maps/`, drawn if missing."""
    if medium not in MEDIA:
        raise ValueError(f"unknown map medium {medium!r} (expected svg, svg-cmyk or png)")
    path = Path(cache_dir) / "maps" / f"{map_key(context, medium)}.{MEDIA[medium]}"
    if path.is_file():
        return path
    if medium == "svg-cmyk":  # the screen SVG in CMYK: drawn once for both variants
        svg = map_path(context, "svg", cache_dir).read_text(encoding="utf-8")
        atomic_write(path, svg_to_cmyk(svg, map_palette(context.colours)).encode())
    else:
        atomic_write(path, render_map(context, medium))
    return path


def render_map(context: MapContext, medium: str) -> bytes:
    """The map as SVG ('svg'), SVG with device-cmyk() colours ('svg-cmyk') or PNG ('png')."""
    if medium not in MEDIA:
        raise ValueError(f"unknown map medium {medium!r} (expected svg, svg-cmyk or png)")
    colours = map_palette(context.colours)
    from bmr_materials.shared.locator_draw import drawn_map

    with drawn_map(context, FIGSIZE[medium], {n: c["rgb"] for n, c in colours.items()}) as fig:
        return _save(fig, context, medium, colours)


def map_palette(colours: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The chart palette plus the map's tints: land, the country and the region's fill."""
    result = palette(colours)
    result["land"] = tint(result["ink"], 0.1)
    result["region_fill"] = tint(result["primary"], 0.45)
    return result


# --- data -----------------------------------------------------------------------------------


@cache
def countries() -> tuple[tuple[str, tuple[tuple[Point, ...], ...]], ...]:
    """Every country of the extract as (ISO code, rings), rings of [lon, lat] points."""
    path = assets_dir().joinpath(*EUROPE_MAP)
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    return tuple(
        (
            f["properties"]["iso_a2"],
            tuple(
                tuple((x, y) for x, y in ring)
                for polygon in f["geometry"]["coordinates"]
                for ring in polygon
            ),
        )
        for f in features
    )


@cache
def projected_countries() -> tuple[tuple[str, tuple[list[Point], ...]], ...]:
    """`countries()` in the map's projection (computed once per process)."""
    return tuple((code, tuple(projected(ring) for ring in rings)) for code, rings in countries())


@cache
def _data_digest() -> str:
    return hashlib.sha256(assets_dir().joinpath(*EUROPE_MAP).read_bytes()).hexdigest()[:16]


def project(lon: float, lat: float) -> Point:
    """Lambert azimuthal equal-area around CENTRE (as Europe's statistical maps are drawn),
    in units of the earth's radius."""
    lam, phi = math.radians(lon - CENTRE[0]), math.radians(lat)
    phi0 = math.radians(CENTRE[1])
    cos_c = math.sin(phi0) * math.sin(phi) + math.cos(phi0) * math.cos(phi) * math.cos(lam)
    k = math.sqrt(2 / (1 + cos_c))
    x = k * math.cos(phi) * math.sin(lam)
    y = k * (math.cos(phi0) * math.sin(phi) - math.sin(phi0) * math.cos(phi) * math.cos(lam))
    return x, y


def projected(ring: tuple[Point, ...]) -> list[Point]:
    """The points of `ring` in the map's projection."""
    return [project(lon, lat) for lon, lat in ring]


def _save(fig: Any, context: MapContext, medium: str, colours: dict[str, Any]) -> bytes:
    from io import BytesIO

    buffer = BytesIO()
    if medium == "png":
        fig.savefig(buffer, format="png", dpi=PNG_DPI, metadata={"Software": None})
        return buffer.getvalue()
    fig.savefig(
        buffer, format="svg", metadata={"Date": None, "Creator": None, "Title": context.alt}
    )
    svg = buffer.getvalue().decode()
    return (svg_to_cmyk(svg, colours) if medium == "svg-cmyk" else svg).encode()
