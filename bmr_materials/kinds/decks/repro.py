"""Make Office packages reproducible: fixed zip entry times, fixed dates in the document
properties, embedded workbooks (native chart data) normalised the same way."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

_DATE_TAGS = re.compile(
    rb"(<(dcterms:created|dcterms:modified|cp:lastPrinted)\b[^>]*>)[^<]*(</\2>)"
)


def normalise_package(data: bytes, when: dt.datetime) -> bytes:
    """`data` (a .pptx/.xlsx zip) with every entry dated `when`, in a stable order."""
    stamp = _zip_time(when)
    iso = when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        names = src.namelist()
        first = [n for n in names if n == "[Content_Types].xml"]
        for name in first + sorted(n for n in names if n not in first):
            blob = src.read(name)
            if name.endswith("docProps/core.xml"):
                blob = _DATE_TAGS.sub(lambda m: m.group(1) + iso + m.group(3), blob)
            elif name.endswith(".xlsx"):
                blob = normalise_package(blob, when)
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            dst.writestr(info, blob, compresslevel=6)
    return out.getvalue()


def _zip_time(when: dt.datetime) -> tuple[int, int, int, int, int, int]:
    when = max(when.astimezone(dt.UTC).replace(tzinfo=None), dt.datetime(1980, 1, 1))
    return (when.year, when.month, when.day, when.hour, when.minute, when.second - when.second % 2)
