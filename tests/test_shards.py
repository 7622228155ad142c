"""Scale past one machine: `list --json` gives the plan, `build --shard K/N` one deterministic
share of it, and `merge` joins the shards into the same folder a single build makes."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from bmr_materials.engine.shards import parse_shard, share
from bmr_materials.shared.kind import Target

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "minimal"


def target(kind: str, item: str, lang: str, variant: str = "") -> Target:
    return Target(kind, item, lang, variant, [f"{lang}/{item}"], {}, [])


def test_shards_split_every_kind_evenly_and_cover_the_plan_once() -> None:
    plan = [
        target("brochure", f"b{i}", lang, v)
        for i in range(4)
        for lang in ("de", "en")
        for v in ("print", "screen")
    ] + [target("deck", f"d{i}", "en") for i in range(3)]
    shares = [share(plan, (k, 3)) for k in (1, 2, 3)]
    names = [t.name for part in shares for t in part]
    assert sorted(names) == sorted(t.name for t in plan) and len(set(names)) == len(names)
    assert [sum(t.kind == "deck" for t in part) for part in shares] == [1, 1, 1]
    assert {len(part) for part in shares} == {6, 7}
    assert share(list(reversed(plan)), (2, 3)) == share(plan, (2, 3)), "order-independent"


@pytest.mark.parametrize(("text", "expected"), [("1/3", (1, 3)), ("3/3", (3, 3)), ("1/1", (1, 1))])
def test_a_shard_is_k_of_n(text: str, expected: tuple[int, int]) -> None:
    assert parse_shard(text) == expected


@pytest.mark.parametrize("text", ["0/3", "4/3", "1", "a/b", "1/0", "-1/2"])
def test_a_bad_shard_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="expected K/N"):
        parse_shard(text)


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "make_materials.py"), *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
    )


def tree(folder: Path) -> dict[str, str]:
    """Every file below `folder` (the cache aside) -> its sha256."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".cache" not in p.parts and p.name != ".lock"
    }


@pytest.mark.slow
def test_three_shards_merged_equal_one_build_byte_for_byte(tmp_path: Path) -> None:
    common = ["--content", str(FIXTURE), "--lang", "en", "--jobs", "1", "--no-preflight"]
    single = run("build", "--out", "single", *common, cwd=tmp_path)
    assert single.returncode == 0, single.stderr
    plan = json.loads(
        run(
            "list",
            "--json",
            "--content",
            str(FIXTURE),
            "--lang",
            "en",
            "--out",
            "single",
            cwd=tmp_path,
        ).stdout
    )
    assert plan["targets"] and all(t["outdated"] is None for t in plan["targets"])
    for k in (1, 2, 3):
        shard = run("build", "--out", f"shard{k}", "--shard", f"{k}/3", *common, cwd=tmp_path)
        assert shard.returncode == 0, shard.stderr
    merged = run(
        "merge",
        "--content",
        str(FIXTURE),
        "--out",
        "merged",
        "shard1",
        "shard2",
        "shard3",
        cwd=tmp_path,
    )
    assert merged.returncode == 0, merged.stderr
    assert f"merged {sum(len(t['paths']) for t in plan['targets'])} outputs" in merged.stdout
    assert tree(tmp_path / "merged") == tree(tmp_path / "single")
