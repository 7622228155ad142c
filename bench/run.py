#!/usr/bin/env python3
"""Benchmark the builder: medians of several runs in one session, as numbers to quote.

Measures (whole process unless said otherwise):
- cold full build with --jobs 1 and --jobs 2 (fresh output folder, no chart cache);
- a build with nothing to do;
- the rebuild after one figure change (digital_health_specialists);
- the peak memory of a full build (the sum of the resident memory of the build's processes);
- per brochure and per deck: whole process (--force, warm chart cache) and in-process render;
  decks also with a cold chart cache.
Run with `make bench`; `--runs N` sets the repetitions (default 3), `--quick` skips cold builds.
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
    command = [PY, str(PROJECT / "make_materials.py"), "build", "--out", str(out), "--quiet",
               "--no-preflight", *args]
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
    command = [PY, str(PROJECT / "make_materials.py"), "build", "--out", str(out), "--quiet",
               "--no-preflight", *args]
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
        figures.write_text(original.replace("value: 6000", f"value: {6001 + i}", 1),
                           encoding="utf-8")
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
            whole = [build(out, "--force", "--jobs", "1", "--lang", "en", "--only", target.id)
                     for _ in range(runs)]
            rows[f"{target.kind} {target.id} (whole process, all files)"] = {
                "whole_process_s": median(whole)}
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="skip the cold full builds")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    args = parser.parse_args()
    results: dict[str, object] = {"runs": args.runs, "cores": os.cpu_count()}
    with tempfile.TemporaryDirectory(prefix="ihr-bench-") as folder:
        tmp = Path(folder)
        if not args.quick:
            cold = cold_builds(tmp, args.runs)
            results["cold_full_build_s"] = cold
            results["jobs2_speedup"] = round(cold["jobs1"] / cold["jobs2"], 2)
            rss, pss = peak_memory(tmp / "memory", "--jobs", "2")
            results["peak_memory_full_build_mb"] = {"rss_sum": round(rss / 2**20),
                                                    "pss_sum": round(pss / 2**20)}
        inc = incremental(tmp, args.runs)
        results["incremental_s"] = inc
        if not args.quick:
            cold2 = results["cold_full_build_s"]["jobs2"]  # type: ignore[index]
            results["nothing_to_do_share_of_cold"] = round(inc["nothing_to_do"] / cold2, 4)
        results["per_target_en"] = per_target(tmp, args.runs)
    text = json.dumps(results, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
