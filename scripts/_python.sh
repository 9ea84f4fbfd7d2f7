# shellcheck shell=bash
# Sourced (bash) by scripts/test and scripts/demo, from the repository root.
# Finds a Python >= 3.12 (Django 6.1 needs it; Debian 12's python3 is 3.11) and keeps
# .venv in step with pyproject.toml.

# python_ok PROGRAM: true if PROGRAM runs and is Python >= 3.12. Running it is the only
# reliable test: pyenv puts a `python3.12` shim on PATH that fails when no version is selected.
python_ok() {
  "$1" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1
}

# find_python: print the path of a Python >= 3.12, or explain what is needed and fail.
find_python() {
  local c root candidates=() roots=() tried=()
  for c in python3 python3.12 python3.13 python3.14; do
    command -v "$c" >/dev/null 2>&1 && candidates+=("$(command -v "$c")")
  done
  # pyenv's installed versions, oldest first so the project's minimum (3.12) wins when present.
  command -v pyenv >/dev/null 2>&1 && roots+=("$(pyenv root 2>/dev/null || true)")
  roots+=("${PYENV_ROOT:-}" "$HOME/.pyenv")
  for root in $(printf '%s\n' "${roots[@]}" | awk 'NF && !seen[$0]++'); do
    while IFS= read -r c; do
      [ -x "$c" ] && candidates+=("$c")
    done < <(printf '%s\n' "$root"/versions/*/bin/python3 | sort -V)
  done
  for c in "${candidates[@]}"; do
    if python_ok "$c"; then
      echo "$c"
      return 0
    fi
    tried+=("$c ($("$c" --version 2>&1 | head -1))")
  done
  {
    echo "ERROR: crewplan needs Python 3.12 or newer (Django 6.1 requires it) and found none."
    echo "Looked on PATH for python3, python3.12, python3.13, python3.14 and in pyenv's versions:"
    if [ ${#tried[@]} -gt 0 ]; then printf '  %s\n' "${tried[@]}"; else echo "  (nothing)"; fi
    echo "Install one, e.g. \`pyenv install 3.12\`, or put a python3.12 on PATH, and run this again."
  } >&2
  return 1
}

# ensure_venv EXTRAS: make .venv (Python >= 3.12) and install crewplan into it, editable,
# with EXTRAS ("" or "[test]"). pip runs only when pyproject.toml (or the extras) changed
# since the last install: the stamp file holds "<sha256 of pyproject.toml> <extras>".
ensure_venv() {
  local extras="$1" venv=.venv py sha stamp
  local -  # the pipefail below stays inside this function
  set -o pipefail
  stamp="$venv/.crewplan-installed"
  if [ -e "$venv" ] && ! python_ok "$venv/bin/python"; then
    echo "Recreating .venv: its Python is missing or older than 3.12"
    rm -rf "$venv"
  fi
  if [ ! -e "$venv" ]; then
    py=$(find_python) || exit 2
    echo "Creating .venv with $("$py" --version) ($py)"
    "$py" -m venv "$venv"
  fi
  sha=$(sha256sum pyproject.toml | cut -d' ' -f1)
  # An install with the test extras also serves the demo (it is a superset).
  if [ -f "$stamp" ]; then
    case "$(cat "$stamp")" in
      "$sha $extras" | "$sha [test]") return 0 ;;
    esac
  fi
  echo "Installing crewplan$extras into .venv (pyproject.toml changed or first run)"
  rm -f "$stamp"
  # This machine's pip configuration makes pip print "WARNING: Location '...' is ignored": noise.
  if ! PIP_DISABLE_PIP_VERSION_CHECK=1 "$venv/bin/python" -m pip install -q -e ".$extras" 2>&1 \
    | { grep -v "^WARNING: Location" || true; }; then
    echo "ERROR: pip install -e '.$extras' failed" >&2
    exit 1
  fi
  echo "$sha $extras" > "$stamp"
}
