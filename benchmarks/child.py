"""The floors and loaders of the benchmark, each run as its own child process so that
its peak memory is its own. Every mode prints one JSON line: ``seconds`` is the time of
the measured operation only (after the interpreter and the imports have started).

    child.py json LIST                 json.load of every file listed (one path a line)
    child.py schema LIST               json.load + jsonschema-rs of every "schema<TAB>file"
    child.py pyarrow SRC OUT           pq.write_table of every Parquet table under SRC
                                       (read first, untimed) into OUT
    child.py dump LIST OUT             writing every file listed (each read first, untimed) into
                                       OUT with json.dumps (the standard library's C encoder,
                                       compact; json.dump would take the slower Python encoder)
    child.py dump-tasks EXPORT OUT     the same for the tasks of a Label Studio task list, into
                                       the file OUT
    child.py load repo DIR CONFIG      load_dataset(DIR, CONFIG)
    child.py load parquet DIR CONFIG   load_dataset("parquet", data_files=DIR/CONFIG/*)
    child.py ls-annotate SRC DST       a Label Studio JSON export (untimed preparation): each
                                       exported task as an annotator submitted it unchanged
"""
from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path


def listed(path: str) -> list[str]:
    return [line for line in Path(path).read_text(encoding="utf-8").splitlines() if line]


def floor_json(list_file: str) -> dict:
    """``json.load`` of every listed file; a Label Studio export (a JSON list written one
    value per line, several GB at N = 10,000) is parsed a line at a time, as the import
    reads it: ``json.load`` of the whole list would need more memory than the machine."""
    files = listed(list_file)
    start = time.perf_counter()
    for name in files:
        with open(name, encoding="utf-8") as handle:
            if handle.readline() == "[\n":
                for line in handle:
                    if line.startswith("{"):
                        json.loads(line.rstrip().rstrip(","))
            else:
                handle.seek(0)
                json.load(handle)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "files": len(files), "bytes": sum(os.path.getsize(f) for f in files)}


def floor_schema(list_file: str) -> dict:
    """The schema check of ``validate`` with jsonschema-rs: every error collected."""
    import jsonschema_rs

    pairs = [line.split("\t", 1) for line in listed(list_file)]
    start = time.perf_counter()
    validators: dict[str, object] = {}
    errors = 0
    for schema_path, name in pairs:
        if schema_path not in validators:
            with open(schema_path, encoding="utf-8") as handle:
                validators[schema_path] = jsonschema_rs.validator_for(json.load(handle))
        with open(name, encoding="utf-8") as handle:
            errors += sum(1 for _ in validators[schema_path].iter_errors(json.load(handle)))
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "files": len(pairs), "errors": errors}


def floor_pyarrow(src: str, out: str) -> dict:
    """Only the writing is timed: the tables are read from the build first."""
    import pyarrow.parquet as pq

    paths = sorted(Path(src).rglob("*.parquet"))
    tables = [(p.relative_to(src), pq.read_table(p)) for p in paths]
    for rel, _ in tables:
        (Path(out) / rel).parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    for rel, table in tables:
        pq.write_table(table, Path(out) / rel)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "tables": len(tables), "rows": sum(t.num_rows for _, t in tables)}


def floor_dump(list_file: str, out: str) -> dict:
    """Writing what a command writes: the same data, one file at a time, by json.dumps."""
    files = listed(list_file)
    Path(out).mkdir(parents=True, exist_ok=True)
    seconds = 0.0
    for i, name in enumerate(files):
        with open(name, encoding="utf-8") as handle:
            data = json.load(handle)
        start = time.perf_counter()
        with open(Path(out) / f"{i}.json", "w", encoding="utf-8") as handle:
            handle.write(json.dumps(data, ensure_ascii=False))  # dumps: json.dump skips the C encoder
        seconds += time.perf_counter() - start
    return {"seconds": seconds, "files": len(files)}


def floor_dump_tasks(export: str, out: str) -> dict:
    """Writing a task list like the one ``export`` holds: task by task, by json.dumps."""
    seconds, count = 0.0, 0
    with open(out, "w", encoding="utf-8") as handle:
        for task in tasks_of(export):
            start = time.perf_counter()
            handle.write((",\n" if count else "[\n") + json.dumps(task, ensure_ascii=False))
            seconds += time.perf_counter() - start
            count += 1
        handle.write("\n]\n")
    return {"seconds": seconds, "tasks": count}


def load(kind: str, folder: str, config: str) -> dict:
    from datasets import load_dataset
    from datasets.utils.logging import disable_progress_bar

    disable_progress_bar()
    if kind == "repo":
        start = time.perf_counter()
        ds = load_dataset(folder, config)
    else:
        files: dict[str, list[str]] = {}
        for path in sorted((Path(folder) / config).glob("*.parquet")):
            files.setdefault(path.name.split("-", 1)[0], []).append(str(path))
        start = time.perf_counter()
        ds = load_dataset("parquet", data_files=files)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "rows": {split: d.num_rows for split, d in ds.items()}}


def tasks_of(path: str):
    """The tasks of an export written by the package, one at a time: one compact task per
    line (``[``, ``{...},`` ..., ``]``); the older indented form is read too (a task from
    a line "  {" to a line "  }" or "  },": the serialisation escapes every newline inside
    strings)."""
    lines: list[str] = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            bare = line.rstrip("\n")
            if bare.startswith("{"):
                yield json.loads(bare.rstrip(","))
            elif bare == "  {":
                lines = [line]
            elif bare in ("  }", "  },"):
                yield json.loads("".join(lines) + "}")
                lines = []
            elif lines:
                lines.append(line)


def ls_annotate(src: str, dst: str) -> dict:
    """What Label Studio's JSON export gives when an annotator submitted every task
    unchanged (the prediction as the annotation; as in tests/test_labelstudio_offline)."""
    stamp = "2026-11-25T10:15:00.000000Z"
    count = 0
    with open(dst, "w", encoding="utf-8") as out:
        out.write("[\n")
        for i, task in enumerate(tasks_of(src)):
            result = task.pop("predictions")[0]["result"]
            task.update({"id": i + 1, "project": 1, "predictions": [i + 1], "annotations": [{
                "id": i + 1, "completed_by": 1, "result": result, "was_cancelled": False,
                "ground_truth": False, "created_at": stamp, "updated_at": stamp, "task": i + 1,
                "project": 1}]})
            out.write((",\n" if i else "") + json.dumps(task, ensure_ascii=False))
            count += 1
        out.write("\n]\n")
    return {"tasks": count}


def main(argv: list[str]) -> int:
    mode, args = argv[0], argv[1:]
    modes = {"json": floor_json, "schema": floor_schema, "pyarrow": floor_pyarrow,
             "dump": floor_dump, "dump-tasks": floor_dump_tasks, "load": load, "ls-annotate": ls_annotate}
    print(json.dumps(modes[mode](*args)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
