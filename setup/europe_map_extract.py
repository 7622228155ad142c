"""Cut the Europe extract `assets/maps/europe.geojson` from Natural Earth's 1:50m countries.

Run once by hand when the extract should change (a build never downloads anything):

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python3 setup/europe_map_extract.py package/countries-50m.json assets/maps/europe.geojson

world-atlas (ISC) ships Natural Earth's public-domain admin-0 countries as TopoJSON; this
decodes its arcs, clips every polygon to a window around Europe (the builder's own
`clip_ring`), drops points closer than
about a kilometre, and writes GeoJSON keyed by ISO 3166-1 alpha-2 codes.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script, by hand
from bmr_materials.shared.map_geometry import clip_ring

WINDOW = (-32.0, 27.0, 52.0, 76.0)  # lon/lat: west, south, east, north
DIGITS = 2  # about a kilometre: finer than a locator map can show
# ISO 3166-1 numeric (world-atlas ids) -> alpha-2, for the countries in the window
ALPHA2 = {
    "008": "AL", "012": "DZ", "020": "AD", "031": "AZ", "040": "AT", "051": "AM", "056": "BE",
    "070": "BA", "100": "BG", "112": "BY", "191": "HR", "196": "CY", "203": "CZ", "208": "DK",
    "233": "EE", "234": "FO", "246": "FI", "248": "AX", "250": "FR", "268": "GE", "276": "DE",
    "300": "GR", "304": "GL", "348": "HU", "352": "IS", "364": "IR", "368": "IQ", "372": "IE",
    "380": "IT", "400": "JO", "422": "LB", "428": "LV", "438": "LI", "440": "LT", "442": "LU",
    "470": "MT", "492": "MC", "498": "MD", "499": "ME", "504": "MA", "528": "NL", "578": "NO",
    "616": "PL", "620": "PT", "642": "RO", "643": "RU", "674": "SM", "688": "RS", "703": "SK",
    "705": "SI", "724": "ES", "752": "SE", "756": "CH", "760": "SY", "788": "TN", "792": "TR",
    "804": "UA", "807": "MK", "826": "GB", "831": "GG", "832": "JE", "833": "IM", "336": "VA",
    "376": "IL", "818": "EG", "434": "LY", "275": "PS", "682": "SA", "732": "EH", "478": "MR",
    "414": "KW", "398": "KZ",
}  # fmt: skip
NO_CODE = {"Kosovo": "XK", "N. Cyprus": "CY-N"}

Ring = list[tuple[float, float]]


def decode_arcs(topo: dict) -> list[Ring]:
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_of(indexes: list[int], arcs: list[Ring]) -> Ring:
    ring: Ring = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        ring.extend(arc[1:] if ring else arc)
    return ring


def rounded(ring: Ring) -> list[list[float]]:
    out: list[list[float]] = []
    for x, y in ring:
        point = [round(x, DIGITS), round(y, DIGITS)]
        if not out or point != out[-1]:
            out.append(point)
    if out and out[0] != out[-1]:
        out.append(out[0])
    return out


def main(source: Path, target: Path) -> None:
    topo = json.loads(source.read_text(encoding="utf-8"))
    arcs = decode_arcs(topo)
    features = []
    for geometry in topo["objects"]["countries"]["geometries"]:
        name = geometry["properties"]["name"]
        code = ALPHA2.get(geometry.get("id") or "", NO_CODE.get(name))
        parts = geometry.get("arcs", [])
        polygons = parts if geometry["type"] == "MultiPolygon" else [parts]
        kept = []
        for polygon in polygons:
            rings = [rounded(clip_ring(ring_of(r, arcs), WINDOW)) for r in polygon]
            if rings and len(rings[0]) >= 4:
                kept.append([r for r in rings if len(r) >= 4])
        if not kept:
            continue
        if code is None:
            raise SystemExit(f"no ISO code for {name} ({geometry.get('id')})")
        features.append(
            {
                "type": "Feature",
                "properties": {"iso_a2": code, "name": name},
                "geometry": {"type": "MultiPolygon", "coordinates": kept},
            }
        )
    features.sort(key=lambda f: f["properties"]["iso_a2"])
    collection = {"type": "FeatureCollection", "features": features}
    target.write_text(json.dumps(collection, separators=(",", ":")) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
