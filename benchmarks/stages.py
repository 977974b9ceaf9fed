"""The measured stages of one size, in the order they run. Each command row names its
floors (keys of ``ctx.floors``) and its target; ``report`` computes ratios and verdicts."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from newscorpus.store.jsonio import write_json

from proc import measure
from state import BASE_VERSION, Caches, Checkpoint, input_groups, schema_pairs
from suite import (CONFIG, NEW_VERSION, Context, add_floor, add_row, add_skipped, dump_floor, generate,
                   json_floor, write_list)

Groups = dict[str, list[Path]]


def ratio(limit: float) -> dict:
    return {"kind": "ratio", "limit": limit}


def stage_startup(ctx: Context, groups: Groups) -> None:
    add_row(ctx, "python startup", "python -c pass", ctx.run([ctx.python, "-c", "pass"]), [],
            {"kind": "none"})


def stage_validate(ctx: Context, groups: Groups) -> None:
    caches = Caches(ctx.root, ctx.work / "xdg-cache")
    cleared: list[str] = []
    series = ctx.run(ctx.cli("validate"), before=lambda i: cleared.extend(caches.clear()))
    add_row(ctx, "validate (cold cache)", "newscorpus validate", series, ["schema:validate"], ratio(3))
    ctx.rows[-1]["cleared_before_runs"] = cleared  # what a run left in the repository
    pairs = schema_pairs(ctx.layout, groups)
    listed = write_list(ctx, "schema-validate", [f"{schema}\t{path}" for schema, path in pairs])
    add_floor(ctx, "schema:validate",
              f"json.load + jsonschema-rs of every JSON file validate checks ({len(pairs)} files)",
              ctx.run(ctx.child("schema", listed), inner=True))
    json_floor(ctx, "json:validate", groups, ["documents", "draft", "release", "passes"])
    series = ctx.run(ctx.cli("validate"))
    add_row(ctx, "validate (unchanged repository)", "newscorpus validate", series,
            ["schema:validate"], {"kind": "seconds", "limit": 5.0, "at_n": 10_000})
    changed = OneChangedFile(ctx.layout)
    series = ctx.run(ctx.cli("validate"), before=changed.change)
    changed.restore()
    add_row(ctx, "validate (one draft file changed)", "newscorpus validate (before each run, one draft "
            "file gets a new entity name)", series, ["schema:validate"],
            {"kind": "seconds", "limit": 5.0, "at_n": 10_000})


class OneChangedFile:
    """The first draft file, changed before each run (a new name of its first entity, so
    its content and cache key are new each time), then put back."""

    def __init__(self, layout):
        self.path = sorted(layout.draft.glob("*.json"))[0]
        self.original = self.path.read_bytes()

    def change(self, run: int) -> None:
        data = json.loads(self.original)
        data["entities"][0]["name"] += f" (benchmark change {run})"
        write_json(self.path, data)

    def restore(self) -> None:
        self.path.write_bytes(self.original)


def stage_read(ctx: Context, groups: Groups) -> None:
    series = ctx.run(ctx.cli("stats", "--version", BASE_VERSION))
    add_row(ctx, "stats", f"newscorpus stats --version {BASE_VERSION}", series, ["json:stats"], ratio(3))
    json_floor(ctx, "json:stats", groups, ["release", "release_inventory"])
    series = ctx.run(ctx.cli("diff", BASE_VERSION, "draft"))
    add_row(ctx, "diff", f"newscorpus diff {BASE_VERSION} draft", series, ["json:diff"], ratio(3))
    json_floor(ctx, "json:diff", groups, ["release", "draft"])


def stage_build(ctx: Context, groups: Groups) -> None:
    series = ctx.run(ctx.cli("build", "--version", BASE_VERSION))
    add_row(ctx, "build", f"newscorpus build --version {BASE_VERSION}", series,
            ["json:build", "pyarrow:build"], ratio(3))
    json_floor(ctx, "json:build", groups, ["documents", "release", "release_inventory"])
    if not series.ok:
        return
    out = ctx.work / "pyarrow-floor"
    series = ctx.run(ctx.child("pyarrow", str(ctx.root / "build" / "dataset"), str(out)), inner=True,
                     after=lambda i: shutil.rmtree(out, ignore_errors=True))
    add_floor(ctx, "pyarrow:build", "pq.write_table of the tables the build wrote (read first, untimed)",
              series)


def stage_load(ctx: Context, groups: Groups) -> None:
    """load_dataset of a built config and its floor, each with its own HF_HOME: emptied
    before every cold run, then reused (as the last cold run left it) by the warm runs."""
    dataset = str(ctx.root / "build" / "dataset")
    code = f'load_dataset("build/dataset", "{CONFIG}")'
    if not (ctx.root / "build" / "dataset").is_dir():
        for temp in ("cold", "warm"):
            add_skipped(ctx, f"load_dataset ({temp} cache)", code, "the build failed",
                        [f"parquet:{temp}"], ratio(1.2), timing="in-process")
        return
    homes = {kind: ctx.work / "hf" / f"load-{kind}" for kind in ("repo", "parquet")}

    def fresh(kind: str):
        def empty(_run: int) -> None:
            shutil.rmtree(homes[kind], ignore_errors=True)
            homes[kind].mkdir(parents=True)
        return empty

    floor = f'load_dataset("parquet", data_files=<build/dataset/{CONFIG}/*.parquet by split>)'
    for temp in ("cold", "warm"):
        before = {kind: fresh(kind) if temp == "cold" else None for kind in homes}
        series = ctx.run(ctx.child("load", "repo", dataset, CONFIG), inner=True,
                         env=ctx.env("load-repo"), before=before["repo"])
        add_row(ctx, f"load_dataset ({temp} cache)", code, series, [f"parquet:{temp}"], ratio(1.2),
                timing="in-process")
        series = ctx.run(ctx.child("load", "parquet", dataset, CONFIG), inner=True,
                         env=ctx.env("load-parquet"), before=before["parquet"])
        add_floor(ctx, f"parquet:{temp}", f"{floor}, {temp} cache", series)


def stage_labelstudio(ctx: Context, groups: Groups) -> None:
    tasks, exported = ctx.work / "ls-tasks.json", ctx.work / "ls-export.json"
    series = ctx.run(ctx.cli("labelstudio", "export", "--version", "draft", "--output", str(tasks)))
    add_row(ctx, "labelstudio export", "newscorpus labelstudio export --version draft --output FILE",
            series, ["json:export", "dump:export"], ratio(3))
    json_floor(ctx, "json:export", groups, ["documents", "draft"])
    if series.ok:
        written = ctx.work / "dump-export.json"
        dumped = ctx.run(ctx.child("dump-tasks", str(tasks), str(written)), inner=True)
        written.unlink(missing_ok=True)
        add_floor(ctx, "dump:export", "json.dumps of the exported tasks (each read first, untimed)", dumped)
    command = "newscorpus labelstudio import FILE (the export, submitted unchanged)"
    if not series.ok:
        add_skipped(ctx, "labelstudio import", command, "the export failed", ["json:import"], ratio(3))
        return
    prepared = measure(ctx.child("ls-annotate", str(tasks), str(exported)), str(ctx.root), ctx.env(),
                       1, ctx.timeout, ctx.memory_limit_mb)
    tasks.unlink()
    if not prepared.ok:
        add_skipped(ctx, "labelstudio import", command,
                    f"preparing the export failed: {prepared.failure()}", ["json:import"], ratio(3))
        return
    checkpoint = Checkpoint(ctx.layout, ctx.work / "checkpoint")
    series = ctx.run(ctx.cli("labelstudio", "import", str(exported)), after=checkpoint.restore)
    add_row(ctx, "labelstudio import", command, series, ["json:import", "dump:import"], ratio(3))
    json_floor(ctx, "json:import", {**groups, "export": [exported]}, ["export", "documents", "draft"])
    dump_floor(ctx, "dump:import", groups, ["draft"])
    exported.unlink()


def stage_release(ctx: Context, groups: Groups) -> None:
    checkpoint = Checkpoint(ctx.layout, ctx.work / "checkpoint")
    series = ctx.run(ctx.cli("release", NEW_VERSION, "-m", "Benchmark correction release.",
                             "--date", "2026-11-25"), after=checkpoint.restore)
    add_row(ctx, "release", f"newscorpus release {NEW_VERSION} -m ...", series,
            ["json:release", "dump:release"], ratio(3))
    json_floor(ctx, "json:release", groups, ["draft", "release"])
    dump_floor(ctx, "dump:release", groups, ["draft", "release"])


STAGES = (stage_startup, stage_validate, stage_read, stage_build, stage_load, stage_labelstudio,
          stage_release)


def run_size(ctx: Context) -> dict:
    """Generate the corpus of ``ctx.n`` documents, then run every stage."""
    generation = generate(ctx)
    groups = input_groups(ctx.layout)
    sizes = {name: sum(p.stat().st_size for p in paths) for name, paths in groups.items()}
    for stage in STAGES:
        stage(ctx, groups)
    return {"n": ctx.n, "repeat": ctx.repeat, "generation": generation, "input_bytes": sizes,
            "rows": ctx.rows, "floors": ctx.floors}
