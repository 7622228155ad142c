"""Take a URL WeasyPrint asks for and serve it only from the project's own folders.

Allowed: files under templates/ and assets/ of the project, the font cache and the render
cache (charts, QR codes, the staged ICC profile). Everything else (http, https, data, file://
elsewhere, '..' escapes, symlinks pointing out) raises ForbiddenURL naming the URL, and the
render stops: a brochure never silently loses a picture or reaches the network.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

from bmr_materials.errors import RenderError
from bmr_materials.resources import builder_root

PROJECT = builder_root()
MIME = {
    ".svg": "image/svg+xml",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".css": "text/css",
    ".icc": "application/vnd.iccprofile",
    ".png": "image/png",
}


class ForbiddenURL(RenderError):
    """A template or content asked for a URL outside the allowed folders."""


class ProjectFetcher(URLFetcher):
    """Serve file: URLs below `roots` only; every other URL is an error naming it."""

    def __init__(self, roots: list[Path]) -> None:
        super().__init__(fail_on_errors=True, allowed_protocols=("file",))
        self.roots = [Path(r).resolve() for r in roots]

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        path = self.resolve(url)
        mime = MIME.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0]
        return URLFetcherResponse(
            url, path.read_bytes(), {"Content-Type": mime or "application/octet-stream"}
        )

    def resolve(self, url: str) -> Path:
        """The allowed file `url` names, or ForbiddenURL."""
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            raise ForbiddenURL(
                f"URL not allowed in a brochure: {url!r} (only the project's "
                "templates/, assets/ and cache files are served)"
            )
        raw = unquote(parts.path)
        if ".." in Path(raw).parts:
            raise ForbiddenURL(f"URL not allowed in a brochure: {url!r} ('..' in the path)")
        path = Path(raw).resolve()
        if not any(path.is_relative_to(root) for root in self.roots):
            raise ForbiddenURL(
                f"URL not allowed in a brochure: {url!r} (outside templates/, "
                "assets/ and the caches)"
            )
        if not path.is_file():
            raise ForbiddenURL(f"file not found for URL {url!r}")
        return path


def project_fetcher(cache_dir: Path) -> ProjectFetcher:
    """The fetcher a brochure render uses: templates, assets, font cache, render cache."""
    from bmr_materials.shared.fonts import fonts_dir

    return ProjectFetcher([PROJECT / "templates", PROJECT / "assets", fonts_dir(), Path(cache_dir)])
