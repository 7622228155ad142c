"""Serve the catalog and a live preview of every output on localhost; rebuild what a saved file
affects, the outputs being viewed first, and tell their pages to reload when they are ready.

A builder thread waits for saves (watchfiles), plans, renders the targets of the pages open in
a browser (brochures in their screen variant, decks with their PDF) and makes their PNG pages,
tells those pages to reload (Server-Sent Events), then rebuilds the rest one target at a time,
starting over as soon as another file is saved. Content errors appear in every page, with file
and line, and the server keeps running.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import threading
from collections.abc import Iterator
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from bmr_materials.engine.build import run
from bmr_materials.engine.project import CACHE
from bmr_materials.errors import ContentError, MaterialsError
from bmr_materials.resources import templates_dir
from bmr_materials.shared.kind import OutputKind, Target
from bmr_materials.shared.repro import atomic_write

PAGES = CACHE + "/preview"
PNG_WIDTH = 900
CATALOG = "catalog"


def view_key(target: Target) -> str:
    """What a preview page is named by: kind/lang/id."""
    return f"{target.kind}/{target.lang}/{target.id}"


def previewed(target: Target) -> bool:
    """Whether `target` is the file a preview shows (a brochure's screen variant, a deck)."""
    return target.kind == "deck" or target.variant == "screen"


def pdf_of(target: Target) -> str:
    """The output path of the PDF a preview shows."""
    return next(path for path in target.paths if path.endswith(".pdf"))


class State:
    """What the builder and the web pages share: the plan, errors, open views, versions."""

    def __init__(self) -> None:
        self.changed = threading.Condition()
        self.dirty = True
        self.stopped = False
        self.targets: list[Target] = []
        self.errors: list[str] = []
        self.views: dict[str, int] = {}
        self.versions: dict[str, int] = {}
        self.building: set[str] = set()

    def version(self, key: str) -> int:
        with self.changed:
            return self.versions.get(key, 0)

    def bump(self, keys: list[str]) -> None:
        """Tell the pages showing `keys` to reload."""
        with self.changed:
            for key in keys:
                self.versions[key] = self.versions.get(key, 0) + 1
            self.changed.notify_all()

    def bump_all(self) -> None:
        self.bump(sorted({*self.versions, *self.views, CATALOG}))

    def viewed(self) -> set[str]:
        with self.changed:
            return {key for key, n in self.views.items() if n > 0}

    @contextlib.contextmanager
    def viewing(self, key: str) -> Iterator[None]:
        with self.changed:
            self.views[key] = self.views.get(key, 0) + 1
        try:
            yield
        finally:
            with self.changed:
                self.views[key] -= 1

    def mark_dirty(self) -> None:
        with self.changed:
            self.dirty = True
            self.changed.notify_all()

    def take_dirty(self) -> bool:
        """Wait for a change (or the end); True when there is one to build."""
        with self.changed:
            while not self.dirty and not self.stopped:
                self.changed.wait()
            was, self.dirty = self.dirty, False
            return was and not self.stopped

    def stop(self) -> None:
        with self.changed:
            self.stopped = True
            self.changed.notify_all()


class Builder:
    """Rebuild after each save: the viewed outputs first, then the rest."""

    def __init__(self, args: argparse.Namespace, state: State) -> None:
        self.args, self.state = args, state
        self.kinds: tuple[OutputKind, ...] = ()

    def loop(self) -> None:
        while self.state.take_dirty():
            try:
                self.build()
            except Exception as exc:  # a bug must not end the preview: show it, keep serving
                self._show_errors([f"error: {type(exc).__name__}: {exc}"])
        from bmr_materials.engine.worker import close_renderers

        close_renderers()

    def build(self) -> None:
        from bmr_materials.app.commands import _load, options_of, project_of
        from bmr_materials.engine import api

        project = project_of(self.args)
        self.kinds = project.kinds
        try:
            content = _load(self.args, project).content
            targets = api.targets(project, content, options_of(self.args).select)
        except ContentError as exc:
            self._show_errors([str(problem) for problem in exc.problems])
            return
        except MaterialsError as exc:
            self._show_errors([f"error: {exc}"])
            return
        self._forget_pictures()
        self.state.targets, self.state.errors = targets, []
        viewed = self.state.viewed()
        first = [t for t in targets if previewed(t) and view_key(t) in viewed]
        self._render(first)
        for target in targets:
            if self.state.dirty or self.state.stopped:
                return  # a newer save: start over with what is viewed then
            if target not in first:
                self._render([target])
        from bmr_materials.engine.catalog import write_catalog

        write_catalog(self.args.out, content, project.kinds)
        self.state.bump([CATALOG])

    def _render(self, targets: list[Target]) -> None:
        if not targets:
            return
        failed: list[str] = []
        summary = run(
            targets,
            self.kinds,
            self.args.out,
            jobs=1,
            force=False,
            on_start=lambda n: None,
            report=lambda o: failed.append(o.error) if o.state == "failed" else None,
        )
        built = [o.target for o in summary.outcomes if o.state == "built"]
        for target in targets:
            if previewed(target) and (target in built or not self._pages(target)):
                make_pages(self.args.out, target)
        if failed:
            self.state.errors = [*self.state.errors, *failed]
        self.state.bump([view_key(t) for t in targets if previewed(t)])

    def _pages(self, target: Target) -> list[dict[str, str]]:
        return page_list(self.args.out, target)

    def _show_errors(self, errors: list[str]) -> None:
        for error in errors:
            print(error, file=sys.stderr, flush=True)
        self.state.errors = errors
        self.state.bump_all()

    @staticmethod
    def _forget_pictures() -> None:
        render = sys.modules.get("bmr_materials.kinds.brochures.render")
        if render is not None:
            render.forget_warm_state()


# --- PNG pages ------------------------------------------------------------------------------


def _folder(out: Path, target: Target) -> Path:
    return out / PAGES / view_key(target)


def make_pages(out: Path, target: Target) -> None:
    """PNGs and text of every page of the target's PDF, with an index (pages.json)."""
    import io

    import pypdfium2 as pdfium

    source = out / pdf_of(target)
    if not source.is_file():
        return
    folder = _folder(out, target)
    stamp = f"{source.stat().st_mtime_ns:x}"
    pages = []
    document = pdfium.PdfDocument(source)
    try:
        for index, page in enumerate(document):
            buffer = io.BytesIO()
            page.render(scale=PNG_WIDTH / page.get_width()).to_pil().save(buffer, format="PNG")
            name = f"page-{index + 1}.png"
            atomic_write(folder / name, buffer.getvalue())
            text = page.get_textpage().get_text_range()
            pages.append({"png": f"{name}?v={stamp}", "text": text})
            page.close()
    finally:
        document.close()
    atomic_write(folder / "pages.json", json.dumps(pages).encode("utf-8"))


def page_list(out: Path, target: Target) -> list[dict[str, str]]:
    index = _folder(out, target) / "pages.json"
    if not index.is_file():
        return []
    pages: list[dict[str, str]] = json.loads(index.read_text(encoding="utf-8"))
    return pages


# --- the web pages --------------------------------------------------------------------------


def _page(name: str, **context: Any) -> bytes:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(
        loader=FileSystemLoader(templates_dir("serve")),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env.get_template(name).render(**context).encode("utf-8")


class Handler(SimpleHTTPRequestHandler):
    """Static files from the output folder, the preview pages and the reload events."""

    state: State
    out: Path

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        path = unquote(parts.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        if path == "/events":
            self._events(query.get("view", CATALOG), int(query.get("since", "0") or 0))
        elif path in ("/", "/index.html"):
            self._send(self._catalog(), "text/html; charset=utf-8")
        elif path in ("/preview", "/preview/"):
            self._send(self._list(), "text/html; charset=utf-8")
        elif path.startswith("/preview/") and path.count("/") == 5 and path.endswith(".png"):
            self._png(path.removeprefix("/preview/"))
        elif path.startswith("/preview/"):
            self._preview(path.removeprefix("/preview/").strip("/"))
        else:
            super().do_GET()

    def _send(self, body: bytes, mime: str, status: HTTPStatus = HTTPStatus.OK) -> None:
        self.send_response(status)
        self.send_header("Content-Type", mime)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def _live(self, key: str) -> dict[str, Any]:
        return {"view": key, "version": self.state.version(key), "errors": self.state.errors}

    def _catalog(self) -> bytes:
        index = self.out / "index.html"
        html = (
            index.read_text(encoding="utf-8")
            if index.is_file()
            else "<!doctype html><title>Catalog</title><p>The catalog is being built.</p>"
        )
        banner = _page("banner.html.j2", **self._live(CATALOG)).decode("utf-8")
        return (
            html.replace("</body>", banner + "</body>").encode("utf-8")
            if "</body>" in html
            else (html + banner).encode("utf-8")
        )

    def _list(self) -> bytes:
        rows = sorted({(t.kind, t.lang, t.id) for t in self.state.targets})
        return _page("list.html.j2", rows=rows, **self._live(CATALOG))

    def _target(self, key: str) -> Target | None:
        return next((t for t in self.state.targets if view_key(t) == key and previewed(t)), None)

    def _preview(self, key: str) -> None:
        target = self._target(key)
        if target is None and not self.state.errors and self.state.targets:
            self._send(b"no such output", "text/plain", HTTPStatus.NOT_FOUND)
            return
        pages = page_list(self.out, target) if target else []
        self._send(
            _page(
                "preview.html.j2",
                key=key,
                pages=pages,
                title=target.name if target else key,
                pdf=pdf_of(target) if target else None,
                **self._live(key),
            ),
            "text/html; charset=utf-8",
        )

    def _png(self, rest: str) -> None:
        kind, lang, ident, name = rest.split("/")
        file = self.out / PAGES / kind / lang / ident / name
        if "/" in name or not file.is_file():
            self._send(b"not found", "text/plain", HTTPStatus.NOT_FOUND)
            return
        self._send(file.read_bytes(), "image/png")

    def _events(self, key: str, since: int) -> None:
        """Server-Sent Events: 'reload' once the view's version passes `since`."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        state = self.state
        with state.viewing(key):
            target = self._target(key)
            if target is not None and not page_list(self.out, target):
                state.mark_dirty()  # not made yet: make it now, before the rest
            try:
                while not state.stopped:
                    with state.changed:
                        state.changed.wait_for(
                            lambda: state.versions.get(key, 0) > since or state.stopped, 15
                        )
                        current = state.versions.get(key, 0)
                    if current > since:
                        self.wfile.write(f"event: reload\ndata: {current}\n\n".encode())
                        self.wfile.flush()
                        return
                    self.wfile.write(b": still here\n\n")
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                return


# --- the command ----------------------------------------------------------------------------


def serve(args: argparse.Namespace) -> int:
    """Serve until Ctrl-C or SIGTERM; return the exit code."""
    import signal

    from watchfiles import watch

    from bmr_materials.app.watch import watched_folders

    signal.signal(signal.SIGTERM, signal.default_int_handler)  # SIGTERM ends it as Ctrl-C does
    state = State()
    args.out.mkdir(parents=True, exist_ok=True)
    handler = type("BoundHandler", (Handler,), {"state": state, "out": args.out})
    server = ThreadingHTTPServer((args.host, args.port), partial_handler(handler, args.out))
    server.daemon_threads = True
    builder = threading.Thread(target=Builder(args, state).loop, name="builder", daemon=True)
    stop_watching = threading.Event()

    def watcher() -> None:
        for changes in watch(
            *watched_folders(args),
            debounce=200,
            step=30,
            stop_event=stop_watching,
            raise_interrupt=False,
        ):
            names = sorted({Path(path).name for _, path in changes})
            print(f"changed: {', '.join(names)}", flush=True)
            state.mark_dirty()

    threading.Thread(target=watcher, name="watcher", daemon=True).start()
    builder.start()
    host, port = args.host, server.server_address[1]
    print(
        f"serving on http://{host}:{port}/ (previews: http://{host}:{port}/preview/); Ctrl-C stops",
        flush=True,
    )
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        stop_watching.set()
        state.stop()
        server.server_close()
        builder.join(timeout=60)
    print("stopped serving", flush=True)
    return 0


def partial_handler(handler: type[Handler], out: Path) -> Any:
    """The handler class bound to serve files from `out`."""
    import functools

    return functools.partial(handler, directory=str(out))
