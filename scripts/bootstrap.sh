# Sourced by scripts/start, scripts/start-replicas and scripts/test: makes .venv with the newest
# supported Python it finds (or the one named by PYTHON) and installs the given lock file with
# hash checking, reinstalling only when that file changed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${CSTO_VENV:-$ROOT/.venv}"
SUPPORTED_PYTHONS=(3.14 3.13 3.12 3.11)  # newest first; keep in step with pyproject.toml

# The "major.minor" of interpreter $1, or nothing when it does not run (a dangling shim, say).
python_version() {
  "$1" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null || true
}

is_supported() {
  local version
  for version in "${SUPPORTED_PYTHONS[@]}"; do
    [ "$1" = "$version" ] && return 0
  done
  return 1
}

supported_range() {
  echo "${SUPPORTED_PYTHONS[${#SUPPORTED_PYTHONS[@]} - 1]} to ${SUPPORTED_PYTHONS[0]}"
}

# Prints the path of the interpreter to use, or says what it looked for and fails.
find_python() {
  local version candidate found
  if [ -n "${PYTHON:-}" ]; then
    found="$(command -v "$PYTHON" 2>/dev/null || true)"
    version="$([ -n "$found" ] && python_version "$found" || true)"
    if [ -z "$version" ]; then
      echo "error: PYTHON=$PYTHON is not a Python interpreter that runs here." >&2
      return 1
    fi
    if ! is_supported "$version"; then
      echo "error: PYTHON=$PYTHON is Python $version; CSTO Monitor needs Python $(supported_range)." >&2
      return 1
    fi
    echo "$found"
    return 0
  fi
  for version in "${SUPPORTED_PYTHONS[@]}"; do
    for candidate in "python$version" python3 python; do
      found="$(command -v "$candidate" 2>/dev/null || true)"
      if [ -n "$found" ] && [ "$(python_version "$found")" = "$version" ]; then
        echo "$found"
        return 0
      fi
    done
  done
  echo "error: no supported Python found: looked on PATH for" \
    "$(printf 'python%s, ' "${SUPPORTED_PYTHONS[@]}")python3 and python," >&2
  echo "       wanting Python $(supported_range). Install one, or set PYTHON=/path/to/python3.X" >&2
  echo "       and run this again." >&2
  return 1
}

# Makes the virtual environment when missing, or when PYTHON names another version than it has.
make_venv() {
  local python version
  if [ -x "$VENV/bin/python" ] && [ -n "$(python_version "$VENV/bin/python")" ]; then
    [ -z "${PYTHON:-}" ] && return 0
    python="$(find_python)" || exit 1
    [ "$(python_version "$python")" = "$(python_version "$VENV/bin/python")" ] && return 0
  else
    python="$(find_python)" || exit 1
  fi
  version="$(python_version "$python")"
  echo "Creating virtual environment in $VENV with Python $version ($python)"
  "$python" -m venv --clear "$VENV"
}

# Installs lock file $1 (relative to the repository root) with every hash checked.
bootstrap() {
  local lock="$1"
  make_venv
  local stamp="$VENV/.installed-$(basename "$lock")"
  local digest
  digest="$(sha256sum "$ROOT/$lock" | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$digest" ]; then
    echo "Installing $lock"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --require-hashes \
      -r "$ROOT/$lock"
    echo "$digest" >"$stamp"
  fi
}
