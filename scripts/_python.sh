# Sourced by scripts/demo and scripts/test: find a Python >= 3.12 and keep .venv in step
# with pyproject.toml. Django 6.1 needs 3.12; this machine's default python3 may be older.

find_python() {
  local candidates=() c
  for c in python3 python3.14 python3.13 python3.12 python; do
    command -v "$c" >/dev/null 2>&1 && candidates+=("$(command -v "$c")")
  done
  local root
  for root in "${PYENV_ROOT:-}" "$HOME/.pyenv" /opt/pyenv; do
    [ -n "$root" ] && [ -d "$root/versions" ] || continue
    for c in $(ls -d "$root"/versions/3.* 2>/dev/null | sort -rV); do
      [ -x "$c/bin/python3" ] && candidates+=("$c/bin/python3")
    done
  done
  for c in /usr/local/bin/python3.1[2-9] /usr/bin/python3.1[2-9]; do
    [ -x "$c" ] && candidates+=("$c")
  done
  for c in "${candidates[@]}"; do
    # Run it: a pyenv shim can exist on PATH and still fail for lack of a selected version.
    if "$c" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; then
      echo "$c"
      return 0
    fi
  done
  echo "crewplan needs Python 3.12 or newer and found none (looked on PATH and in pyenv's versions)." >&2
  echo "Install one (e.g. apt-get install python3.12, or pyenv install 3.12) and run this again." >&2
  return 1
}

# ensure_venv EXTRAS: create .venv with a Python >= 3.12 and install crewplan (editable)
# with the given extras ("" or "[test]"); reinstall only when pyproject.toml changed.
ensure_venv() {
  local extras="$1" venv=.venv stamp want
  if [ -x "$venv/bin/python" ] && ! "$venv/bin/python" -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then
    rm -rf "$venv"
  fi
  if [ ! -x "$venv/bin/python" ]; then
    local py
    py=$(find_python) || exit 2
    echo "Creating .venv with $("$py" --version)"
    "$py" -m venv "$venv"
  fi
  want="$(sha256sum pyproject.toml | cut -d' ' -f1) $extras"
  stamp="$venv/.crewplan-installed"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "Installing crewplan$extras into .venv"
    local log
    log=$(mktemp)
    # pip's "WARNING: Location ... is ignored" lines come from this machine's pip config: noise.
    if ! "$venv/bin/python" -m pip install -q -e ".$extras" >"$log" 2>&1; then
      grep -v "^WARNING: Location" "$log" >&2
      rm -f "$log"
      echo "pip install failed" >&2
      exit 1
    fi
    rm -f "$log"
    echo "$want" > "$stamp"
  fi
}
