"""Validate the whole data package: `python -m components.validate [DATA_DIR]`.

Prints every problem as `file:row:column: message` and exits 1, or prints a summary and exits 0.
"""

from __future__ import annotations

import sys
from pathlib import Path

from components.data import DATA_DIR, DataPackageError, load_package


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) > 1 or (args and args[0].startswith("-")):
        print("usage: python -m components.validate [DATA_DIR]", file=sys.stderr)
        return 2
    data_dir = Path(args[0]) if args else DATA_DIR
    if not data_dir.is_dir():
        print(f"{data_dir}: not a directory", file=sys.stderr)
        return 2
    try:
        package = load_package(data_dir)
    except DataPackageError as error:
        for problem in error.problems:
            print(problem)
        print(f"{len(error.problems)} problem(s) found", file=sys.stderr)
        return 1
    counts = ", ".join(f"{name} {len(frame)}" for name, frame in package.tables.items())
    print(f"data package valid (current to {package.data_current_to}): {counts} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
