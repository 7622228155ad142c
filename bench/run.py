#!/usr/bin/env python3
"""Benchmark the builder against the goals of issue 14 and beside the tools people use instead.

`make bench` prints one table: each goal with its measured value and its goal value, then the
peers' table (pandoc, Marp CLI, Paged.js, the raw WeasyPrint and python-pptx) from one run of
the shared peer benchmark, with the project's rows in the same run, as ratios. Measured:
- a deck with its PDF and a brochure PDF, per output, from `build --only decks|brochures
  --lang en --force --jobs 1` (whole process; the same rows the peer run times);
- a build with nothing to do (whole process);
- the live preview: from saving one text in a field to the preview's reload with the new
  text (median of 5, `serve` in its own process);
- the peak memory of a cold `--jobs 2` build (RSS summed over the process tree).
`--details` adds the older measures (cold builds, one-figure rebuild, each target alone).
The peers are set up by their own script into a temporary folder ($PEERS_ENV), never by the
tests. `--peers DIR` names their folder (default $MATERIALS_PEERS or /work/shared/peers).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))
PY = sys.executable


def build(out: Path, *args: str, content: Path | None = None) -> float:
    """Seconds for one `make_materials.py build` in a fresh process."""
    command = [
        PY,
        str(PROJECT / "make_materials.py"),
        "build",
        "--out",
        str(out),
        "--quiet",
        "--no-preflight",
        *args,
    ]
    if content:
        command += ["--content", str(content)]
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def _field(text: str, name: str) -> int:
    """A 'Name:   123 kB' field of a /proc file, in bytes (0 when absent)."""
    for line in text.splitlines():
        if line.startswith(name):
            return int(line.split()[1]) * 1024
    return 0


def tree_memory(root_pid: int) -> tuple[int, int]:
    """(RSS, PSS) in bytes summed over a process and all its descendants. RSS counts shared
    library pages once per process; PSS shares them out, so its sum is the real footprint."""
    children: dict[int, list[int]] = {}
    sizes: dict[int, tuple[int, int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            rss = _field((entry / "status").read_text(), "VmRSS:")
            pss = _field((entry / "smaps_rollup").read_text(), "Pss:")
        except OSError:
            continue
        children.setdefault(int(stat[1]), []).append(int(entry.name))
        sizes[int(entry.name)] = (rss, pss)
    rss_total = pss_total = 0
    stack = [root_pid]
    while stack:
        pid = stack.pop()
        rss, pss = sizes.get(pid, (0, 0))
        rss_total, pss_total = rss_total + rss, pss_total + pss
        stack += children.get(pid, [])
    return rss_total, pss_total


def peak_memory(out: Path, *args: str) -> tuple[int, int]:
    """Peak summed RSS and PSS of a full build's process tree, sampled every 20 ms."""
    command = [
        PY,
        str(PROJECT / "make_materials.py"),
        "build",
        "--out",
        str(out),
        "--quiet",
        "--no-preflight",
        *args,
    ]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    peak = (0, 0)

    def sample() -> None:
        nonlocal peak
        while process.poll() is None:
            rss, pss = tree_memory(process.pid)
            peak = (max(peak[0], rss), max(peak[1], pss))
            time.sleep(0.02)

    thread = threading.Thread(target=sample)
    thread.start()
    process.wait()
    thread.join()
    return peak


def median(values: list[float]) -> float:
    return statistics.median(values)


def cold_builds(tmp: Path, runs: int) -> dict[str, float]:
    """Cold full builds with one and two workers."""
    results: dict[str, list[float]] = {"jobs1": [], "jobs2": []}
    for i in range(runs):
        for jobs in (1, 2):
            out = tmp / f"cold-{jobs}-{i}"
            results[f"jobs{jobs}"].append(build(out, "--jobs", str(jobs)))
            shutil.rmtree(out)
    return {k: median(v) for k, v in results.items()}


def incremental(tmp: Path, runs: int) -> dict[str, float]:
    """Nothing-to-do build and the rebuild after one figure change (2 jobs)."""
    content = tmp / "content"
    shutil.copytree(PROJECT / "content", content)
    out = tmp / "incremental"
    build(out, "--jobs", "2", content=content)
    noop = [build(out, "--jobs", "2", content=content) for _ in range(max(runs, 5))]
    figures = content / "figures.yaml"
    original = figures.read_text(encoding="utf-8")
    assert "value: 6000" in original, "the Digital Health specialists figure has moved"
    changed = []
    for i in range(runs):
        figures.write_text(
            original.replace("value: 6000", f"value: {6001 + i}", 1), encoding="utf-8"
        )
        changed.append(build(out, "--jobs", "2", content=content))
    figures.write_text(original, encoding="utf-8")
    return {"nothing_to_do": median(noop), "one_figure": median(changed)}


def module(target: Any) -> str:
    """The package of a target's output kind."""
    return f"bmr_materials.kinds.{target.kind}s"


def per_target(tmp: Path, runs: int) -> dict[str, dict[str, float]]:
    """Each brochure and deck alone (English): the whole process building one id (a
    brochure's two variants, or a deck with its PDF; warm chart cache), and the in-process
    render of each file."""
    from bmr_materials.content.load import load_content
    from bmr_materials.engine.plan import plan
    from bmr_materials.engine.worker import render_files
    from bmr_materials.kinds.registry import load_kinds
    from bmr_materials.shared.kind import Options

    content = load_content(PROJECT / "content").content
    targets = plan(content, Options(languages=("en",)), load_kinds())
    out = tmp / "per-target"
    build(out, "--jobs", "2", "--lang", "en")  # warm the chart cache
    rows: dict[str, dict[str, float]] = {}
    for target in targets:
        if target.variant != "screen":  # one whole-process row per id
            whole = [
                build(out, "--force", "--jobs", "1", "--lang", "en", "--only", target.id)
                for _ in range(runs)
            ]
            rows[f"{target.kind} {target.id} (whole process, all files)"] = {
                "whole_process_s": median(whole)
            }
        inproc = []
        for _ in range(runs):
            started = time.perf_counter()
            render_files(module(target), target.context, target.paths, out / ".cache")
            inproc.append(time.perf_counter() - started)
        row = {"in_process_s": median(inproc)}
        if target.kind == "deck":
            cold = []
            for _ in range(runs):
                cache = Path(tempfile.mkdtemp(dir=tmp))
                started = time.perf_counter()
                render_files(module(target), target.context, target.paths[:1], cache)
                cold.append(time.perf_counter() - started)
            row["in_process_pptx_cold_charts_s"] = median(cold)
            warm = []
            for _ in range(runs):
                started = time.perf_counter()
                render_files(module(target), target.context, target.paths[:1], out / ".cache")
                warm.append(time.perf_counter() - started)
            row["in_process_pptx_cached_charts_s"] = median(warm)
        rows[target.name] = row
    return rows


# --- the goals of issue 14 --------------------------------------------------------------------

GOALS = {  # name: (goal, unit, True when the measured value must be at most the goal)
    "deck with its PDF, per deck (--jobs 1)": (0.5, "s", True),
    "deck: times faster than Marp CLI (PPTX only)": (8.0, "x", False),
    "brochure PDF, per PDF (--jobs 1)": (0.45, "s", True),
    "brochure: times faster than Paged.js": (6.0, "x", False),
    "build with nothing to do (whole process)": (0.3, "s", True),
    "preview shows a saved text (median of 5)": (1.5, "s", True),
    "peak memory, cold --jobs 2 build (summed RSS)": (500.0, "MB", True),
}


def per_output(tmp: Path, what: str, runs: int) -> float:
    """Seconds per output of `build --only what --lang en --force --jobs 1` (median)."""
    out = tmp / f"per-{what}"
    build(out, "--only", what, "--lang", "en", "--jobs", "1")  # charts and fonts cached
    times = [
        build(out, "--only", what, "--lang", "en", "--jobs", "1", "--force") for _ in range(runs)
    ]
    pattern = "*.pptx" if what == "decks" else "*-*.pdf"
    return median(times) / len(list((out / "en").rglob(pattern)))


def nothing_to_do(tmp: Path, runs: int) -> float:
    out = tmp / "noop"
    build(out, "--jobs", "2")
    return median([build(out) for _ in range(max(runs, 5))])


def preview_latency(tmp: Path, rounds: int = 5) -> float:
    """Median seconds from saving one text of a field to its preview's reload showing it."""
    import re
    import urllib.request

    content = tmp / "serve-content"
    shutil.copytree(PROJECT / "content", content)
    field = content / "fields" / "digital-health.yaml"
    original = field.read_text(encoding="utf-8")
    assert "intelligently." in original, "the Digital Health lead has changed: pick another text"
    command = [
        PY,
        str(PROJECT / "make_materials.py"),
        "serve",
        "--content",
        str(content),
        "--out",
        str(tmp / "serve-out"),
        "--lang",
        "en",
        "--only",
        "digital-health",
        "--port",
        "0",
    ]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def get(url: str) -> str:
        with opener.open(url, timeout=600) as response:
            return str(response.read().decode("utf-8"))

    def wait_reload(url: str, view: str) -> None:
        since = int(re.search(r"since = (\d+)", get(url)).group(1))  # type: ignore[union-attr]
        with opener.open(f"{base}/events?view={view}&since={since}", timeout=600) as events:
            for line in events:
                if line.startswith(b"event: reload"):
                    return

    try:
        assert server.stdout is not None
        base = re.search(r"http://[\d.]+:\d+", server.stdout.readline()).group(0)  # type: ignore[union-attr]
        page, view = f"{base}/preview/brochure/en/digital-health", "brochure/en/digital-health"
        while "Being built" in get(page) or "<img" not in get(page):
            wait_reload(page, view)
        seconds = []
        for i in range(rounds):
            marker = f"qEdit{i}"
            since = int(re.search(r"since = (\d+)", get(page)).group(1))  # type: ignore[union-attr]
            catalog = int(re.search(r"since = (\d+)", get(f"{base}/preview/")).group(1))  # type: ignore[union-attr]
            with opener.open(f"{base}/events?view={view}&since={since}", timeout=600) as events:
                started = time.perf_counter()
                field.write_text(
                    original.replace("intelligently.", f"intelligently {marker}.", 1),
                    encoding="utf-8",
                )
                for line in events:
                    if line.startswith(b"event: reload"):
                        break
            shown = marker in get(page)
            seconds.append(time.perf_counter() - started)
            assert shown, f"the preview did not show {marker}"
            with opener.open(f"{base}/events?view=catalog&since={catalog}", timeout=600) as done:
                for line in done:  # the rest is rebuilt too before the next save
                    if line.startswith(b"event: reload"):
                        break
        return median(seconds)
    finally:
        server.terminate()
        server.wait(timeout=120)


def peers(folder: Path, runs: int) -> dict[str, Any] | None:
    """The shared peer benchmark's results (set up into $PEERS_ENV first), or None."""
    if not (folder / "bench.py").is_file():
        return None
    env = {
        **os.environ,
        "PEERS_ENV": os.environ.get("PEERS_ENV") or str(Path(tempfile.gettempdir()) / "peers-env"),
    }
    subprocess.run(
        ["bash", str(folder / "setup.sh")], check=True, env=env, stdout=subprocess.DEVNULL
    )
    done = subprocess.run(
        [sys.executable, str(folder / "bench.py"), "-n", str(runs), "--project", str(PROJECT)],
        check=True,
        env=env,
        capture_output=True,
        text=True,
    )
    raw = json.loads((Path(env["PEERS_ENV"]) / "last.json").read_text(encoding="utf-8"))
    per = {
        name: median(times) / max(raw["outputs"][name][0], 1)
        for name, times in raw["times"].items()
        if times
    }
    return {"table": done.stdout, "per_output_s": per, "failed": raw["failed"]}


def goals(tmp: Path, runs: int, peer: dict[str, Any] | None) -> dict[str, float | None]:
    """The measured value of every goal (None where it could not be measured)."""
    per = (peer or {}).get("per_output_s", {})
    deck = per.get("project decks") or per_output(tmp, "decks", runs)
    brochure = per.get("project brochures") or per_output(tmp, "brochures", runs)
    marp, paged = per.get("marp deck->pptx"), per.get("pagedjs-cli")
    rss, _ = peak_memory(tmp / "memory", "--jobs", "2")
    return {
        "deck with its PDF, per deck (--jobs 1)": deck,
        "deck: times faster than Marp CLI (PPTX only)": marp / deck if marp else None,
        "brochure PDF, per PDF (--jobs 1)": brochure,
        "brochure: times faster than Paged.js": paged / brochure if paged else None,
        "build with nothing to do (whole process)": nothing_to_do(tmp, runs),
        "preview shows a saved text (median of 5)": preview_latency(tmp),
        "peak memory, cold --jobs 2 build (summed RSS)": rss / 2**20,
    }


def goal_table(measured: dict[str, float | None]) -> str:
    lines = ["| goal | measured | goal | met |", "|---|---:|---:|---|"]
    for name, (goal, unit, at_most) in GOALS.items():
        value = measured.get(name)
        if value is None:
            lines.append(f"| {name} | not measured | {goal:g} {unit} | - |")
            continue
        met = value <= goal if at_most else value >= goal
        sign = "<=" if at_most else ">="
        lines.append(
            f"| {name} | {value:.3g} {unit} | {sign} {goal:g} {unit} | {'yes' if met else 'NO'} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5, help="repetitions (default 5)")
    parser.add_argument(
        "--peers",
        type=Path,
        default=Path(os.environ.get("MATERIALS_PEERS") or "/work/shared/peers"),
        help="the peer benchmark's folder (skipped when it is not there)",
    )
    parser.add_argument("--no-peers", action="store_true", help="skip the peer benchmark")
    parser.add_argument(
        "--details",
        action="store_true",
        help="also cold builds, the one-figure rebuild and each target alone",
    )
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    args = parser.parse_args()
    peer = None if args.no_peers else peers(args.peers, args.runs)
    results: dict[str, Any] = {
        "runs": args.runs,
        "cores": os.cpu_count(),
        "load1_start": os.getloadavg()[0],
    }
    with tempfile.TemporaryDirectory(prefix="ihr-bench-") as folder:
        tmp = Path(folder)
        results["goals"] = goals(tmp, args.runs, peer)
        if args.details:
            results["cold_full_build_s"] = cold_builds(tmp, args.runs)
            results["incremental_s"] = incremental(tmp, args.runs)
            results["per_target_en"] = per_target(tmp, args.runs)
    results["load1_end"] = os.getloadavg()[0]
    print(
        f"# Goals of issue 14 ({os.cpu_count()} cores, load1 {results['load1_start']:.2f} -> "
        f"{results['load1_end']:.2f})\n"
    )
    print(goal_table(results["goals"]))
    if peer is not None:
        results["peers"] = {"per_output_s": peer["per_output_s"], "failed": peer["failed"]}
        print("\n" + peer["table"])
    else:
        print(f"\n(peers skipped: no {args.peers}/bench.py)")
    if args.details:
        print(json.dumps({k: v for k, v in results.items() if k != "goals"}, indent=2))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
