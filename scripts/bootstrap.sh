# Sourced by scripts/start and scripts/test: makes .venv with Python 3.11 and installs
# the given requirements file, reinstalling only when that file changed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${CSTO_VENV:-$ROOT/.venv}"

find_python() {
  for candidate in "${PYTHON:-}" python3.11 python3 python; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then
      command -v "$candidate"
      return 0
    fi
  done
  echo "error: Python 3.11 is required; set PYTHON=/path/to/python3.11" >&2
  return 1
}

bootstrap() {
  local requirements="$1"
  if [ ! -x "$VENV/bin/python" ]; then
    echo "Creating virtual environment in $VENV"
    "$(find_python)" -m venv "$VENV"
  fi
  local stamp="$VENV/.installed-$(basename "$requirements")"
  local digest
  digest="$(cat "$ROOT/requirements.txt" "$ROOT/$requirements" | sha256sum | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$digest" ]; then
    echo "Installing $requirements"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$ROOT/$requirements"
    echo "$digest" >"$stamp"
  fi
}
