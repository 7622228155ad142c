"""Keep one LibreOffice running and turn the PPTX files named on stdin into PDFs over UNO.

Runs under the Python that has LibreOffice's `uno` module (Debian's python3-uno is built for
/usr/bin/python3, not for the project's virtual environment), so it imports only the standard
library and `uno`. The protocol is one JSON line per request on stdin, ``{"in": path, "out":
path, "export": {setting: value}}`` (LibreOffice's PDF export settings), answered by one JSON
line on stdout, ``{"ok": true}`` or ``{"ok": false, "error": ...}``. The first line out is
``{"ready": true, "office": PID}`` once LibreOffice answers. LibreOffice runs in its own process
group (led by PID) and is ended with it: on end of input (the builder is gone), SIGTERM or
SIGINT.

    python3 unobridge.py SOFFICE PROFILE_URL
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid

CONNECT_TIMEOUT = 90.0


def _die_with_parent() -> None:
    """Ask Linux to send us SIGTERM when the builder process that started us dies."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _start(soffice: str, profile: str, pipe: str) -> subprocess.Popen[bytes]:
    command = [
        soffice,
        f"-env:UserInstallation={profile}",
        "--headless",
        "--invisible",
        "--nologo",
        "--norestore",
        "--nodefault",
        "--nolockcheck",
        f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
    ]
    return subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _connect(office: subprocess.Popen[bytes], pipe: str):
    """The Desktop of the LibreOffice started as `office`, once it accepts connections."""
    import uno
    from com.sun.star.connection import NoConnectException

    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    deadline = time.monotonic() + CONNECT_TIMEOUT
    while True:
        try:
            context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            return context.ServiceManager.createInstanceWithContext(
                "com.sun.star.frame.Desktop", context
            )
        except NoConnectException:
            if office.poll() is not None:
                raise RuntimeError(
                    f"LibreOffice exited ({office.returncode}) while starting"
                ) from None
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"LibreOffice did not answer within {CONNECT_TIMEOUT:.0f} s"
                ) from None
            time.sleep(0.05)


def _props(**values):
    import uno
    from com.sun.star.beans import PropertyValue

    found = []
    for name, value in values.items():
        prop = PropertyValue()
        prop.Name, prop.Value = name, value
        found.append(prop)
    return tuple(found) if found else uno.Any("[]com.sun.star.beans.PropertyValue", ())


def _convert(desktop, source: str, target: str, export: dict[str, object]) -> None:
    """Export the presentation `source` as the PDF `target`, as --convert-to does."""
    import uno

    document = desktop.loadComponentFromURL(
        uno.systemPathToFileUrl(source),
        "_blank",
        0,
        _props(Hidden=True, ReadOnly=True, UpdateDocMode=0, MacroExecutionMode=0),
    )
    try:
        settings = uno.Any(
            "[]com.sun.star.beans.PropertyValue", tuple(_props(**export)) if export else ()
        )
        document.storeToURL(
            uno.systemPathToFileUrl(target),
            _props(FilterName="impress_pdf_Export", Overwrite=True, FilterData=settings),
        )
    finally:
        document.close(True)


def _warm_up(desktop) -> None:
    """Open and close an empty presentation: Impress and its filters load now, while the
    builder is still laying out its first deck, not during the first conversion."""
    document = desktop.loadComponentFromURL(
        "private:factory/simpress", "_blank", 0, _props(Hidden=True)
    )
    document.close(True)


def _stop(office: subprocess.Popen[bytes], desktop) -> None:
    """End LibreOffice: ask it to terminate (for a few seconds), then end its process group.
    Signals wait meanwhile, so a second SIGTERM cannot leave LibreOffice behind."""
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if desktop is not None:
        asking = threading.Thread(target=_terminate, args=(desktop,), daemon=True)
        asking.start()
        asking.join(timeout=5)
    with contextlib.suppress(subprocess.TimeoutExpired):
        office.wait(timeout=5)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(office.pid, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError, subprocess.TimeoutExpired):
        office.wait(timeout=5)


def _terminate(desktop) -> None:
    with contextlib.suppress(Exception):
        desktop.terminate()


def _answer(reply: dict[str, object]) -> None:
    sys.stdout.write(json.dumps(reply) + "\n")
    sys.stdout.flush()


def main(soffice: str, profile: str) -> int:
    _die_with_parent()
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    pipe = f"ihr-materials-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    office = _start(soffice, profile, pipe)
    desktop = None
    try:
        desktop = _connect(office, pipe)
        _warm_up(desktop)
        _answer({"ready": True, "office": office.pid})
        for line in sys.stdin:
            request = json.loads(line)
            try:
                _convert(desktop, request["in"], request["out"], request.get("export", {}))
                _answer({"ok": True})
            except Exception as exc:  # reported to the builder, which names the deck
                _answer({"ok": False, "error": f"{type(exc).__name__}: {exc}"})
                if office.poll() is not None:
                    return 1
    except KeyboardInterrupt:
        return 1
    except RuntimeError as exc:
        _answer({"ok": False, "error": str(exc)})
        return 1
    finally:
        _stop(office, desktop)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
