"""Validate the whole data package: `python -m components.validate [--seal] [DATA_DIR]`.

Prints every problem as `file:row:column: message` and exits 1, or prints a summary and exits 0.
With `--seal`, a valid package also gets each file's size and hash written into its
datapackage.json, so that a file cut short or saved half-way is refused rather than loaded.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from components.data import (
    DATA_DIR,
    META_FILE,
    DataPackage,
    DataPackageError,
    file_hash,
    load_package,
    read_file,
)
from components.schema import tables

USAGE = "usage: python -m components.validate [--seal] [DATA_DIR]"


def seal(data_dir: Path) -> int:
    """Record each table file's size and hash in the descriptor; how many were recorded."""
    meta_path = data_dir / META_FILE
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    listed = {resource.get("name") for resource in meta.setdefault("resources", [])}
    meta["resources"] += [
        {"name": table.name, "path": table.path}
        for table in tables().values()
        if table.name not in listed
    ]
    for resource in meta["resources"]:
        raw, problems = read_file(data_dir, resource["path"])
        if raw is None or problems:
            raise SystemExit(f"cannot seal: {problems[0] if problems else resource['path']}")
        resource["bytes"] = len(raw)
        resource["hash"] = file_hash(raw)
    meta_path.write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return len(meta["resources"])


def summary(package: DataPackage) -> str:
    counts = ", ".join(f"{name} {len(frame)}" for name, frame in package.tables.items())
    return f"data package valid (current to {package.data_current_to}): {counts} rows"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    sealing = "--seal" in args
    rest = [a for a in args if a != "--seal"]
    if len(rest) > 1 or (rest and rest[0].startswith("-")):
        print(USAGE, file=sys.stderr)
        return 2
    data_dir = Path(rest[0]) if rest else DATA_DIR
    if not data_dir.is_dir():
        print(f"{data_dir}: not a directory", file=sys.stderr)
        return 2
    try:
        package = load_package(data_dir, check_seal=not sealing)
    except DataPackageError as error:
        for problem in error.problems:
            print(problem)
        print(f"{len(error.problems)} problem(s) found", file=sys.stderr)
        return 1
    print(summary(package))
    if sealing:
        print(f"sealed {seal(data_dir)} files: sizes and hashes written to {META_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
