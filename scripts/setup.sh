#!/usr/bin/env bash
# Sets up this machine for the notebooks and, unless --no-run, reproduces every notebook at paper
# scale (build/notebooks, build/html, build/claims, build/results). Writes only node_modules/, dist/
# and build/ (and data/cache/ through the run): never a tracked file.
#   1. Node dependencies (npm ci, skipped when node_modules matches package-lock.json)
#   2. Jupyter (nbclient + nbconvert): Debian packages as root or with sudo, else instructions
#   3. the library (tsc, then the WebAssembly kernels) and the project-local tslab kernelspec (build/jupyter, via JUPYTER_PATH)
#
#   bash scripts/setup.sh [--no-run]
#   bash scripts/setup.sh --find-python   # print the Python that would run Jupyter (exit 1: none)
#   bash scripts/setup.sh --node-supported [VERSION]   # exit 0 when this Node (or VERSION) is supported
set -euo pipefail
cd "$(dirname "$0")/.."

# A Python that imports nbclient, nbconvert and nbformat (and prints the mark: /bin/true is not one).
has_jupyter() {
  [ "$("$1" -c 'import nbclient, nbconvert, nbformat; print("fragility-jupyter-ok")' 2>/dev/null)" = "fragility-jupyter-ok" ]
}
# The same order as scripts/jupyter.ts: FRAGILITY_PYTHON (only it, when set); the activated
# virtualenv's or conda environment's Python; /usr/bin/python3 (Debian's Jupyter; the python3 first
# on PATH may be another interpreter), python3, python.
find_python() {
  if [ -n "${FRAGILITY_PYTHON:-}" ]; then
    if has_jupyter "$FRAGILITY_PYTHON"; then echo "$FRAGILITY_PYTHON"; fi
    return
  fi
  local prefix p
  for prefix in "${VIRTUAL_ENV:-}" "${CONDA_PREFIX:-}"; do
    [ -n "$prefix" ] || continue
    for p in "$prefix/bin/python3" "$prefix/bin/python"; do
      if [ -x "$p" ]; then
        if has_jupyter "$p"; then echo "$p"; return; fi
        break
      fi
    done
  done
  for p in /usr/bin/python3 python3 python; do
    if command -v "$p" >/dev/null 2>&1 && has_jupyter "$p"; then echo "$p"; return; fi
  done
}

# The Node releases supported: ^20.19 || ^22.13 || >=24 (package.json's engines; eslint 10 needs
# them, and zlib.crc32 came in 20.15). .nvmrc and environment.yml name 22.
node_supported() {
  local v="${1#v}" major minor
  major="${v%%.*}"; minor="${v#*.}"; minor="${minor%%.*}"
  [[ "$major" =~ ^[0-9]+$ && "$minor" =~ ^[0-9]+$ ]] || return 1
  if [ "$major" -ge 24 ]; then return 0; fi
  if [ "$major" -eq 22 ] && [ "$minor" -ge 13 ]; then return 0; fi
  if [ "$major" -eq 20 ] && [ "$minor" -ge 19 ]; then return 0; fi
  return 1
}
SUPPORTED_NODE="^20.19 || ^22.13 || >=24"

run=1
while [ "$#" -gt 0 ]; do
  case "$1" in
    --no-run) run=0 ;;
    --find-python) p="$(find_python)"; [ -n "$p" ] || exit 1; echo "$p"; exit 0 ;;
    --node-supported)
      v="${2:-}"; [ -n "$v" ] || v="$(node --version)"
      if node_supported "$v"; then echo "Node $v: supported ($SUPPORTED_NODE)"; exit 0; fi
      echo "Node $v: not supported ($SUPPORTED_NODE)"; exit 1 ;;
    -h|--help) echo "usage: bash scripts/setup.sh [--no-run | --find-python | --node-supported [VERSION]]"; exit 0 ;;
    *) echo "usage: bash scripts/setup.sh [--no-run | --find-python | --node-supported [VERSION]]" >&2; exit 2 ;;
  esac
  shift
done

say() { printf '\033[1m== %s\033[0m\n' "$*"; }

# A supported Node.
if ! command -v node >/dev/null 2>&1; then
  echo "Node.js $SUPPORTED_NODE is required (https://nodejs.org, nvm use (.nvmrc), or: conda env create -f environment.yml)" >&2; exit 1
fi
if ! node_supported "$(node --version)"; then
  echo "Node.js $SUPPORTED_NODE is required; this is $(node --version) (nvm use reads .nvmrc; conda: environment.yml)" >&2; exit 1
fi

# 1. Node dependencies, exactly as locked.
stamp=node_modules/.fragility-lock
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  say "Installing Node dependencies (npm ci)"
  npm ci --no-audit --no-fund
  cp package-lock.json "$stamp"
fi

# 2. Jupyter: a Python that imports nbclient, nbconvert and nbformat.
if [ -n "${FRAGILITY_PYTHON:-}" ] && [ -z "$(find_python)" ]; then
  echo "FRAGILITY_PYTHON=$FRAGILITY_PYTHON names no Python interpreter that can import nbclient, nbconvert and nbformat" >&2
  exit 2
fi
debian_packages="jupyter-notebook jupyter-nbconvert python3-nbclient"
if [ -z "$(find_python)" ]; then
  if command -v apt-get >/dev/null 2>&1 && { [ "$(id -u)" -eq 0 ] || sudo -n true 2>/dev/null; }; then
    sudo_=""; [ "$(id -u)" -eq 0 ] || sudo_="sudo -n"
    say "Installing Jupyter from Debian packages ($debian_packages)"
    $sudo_ apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo_ apt-get install -y -q $debian_packages
  else
    cat >&2 <<MSG
Jupyter (nbclient and nbconvert) was not found, and packages cannot be installed from here
(not root, no password-less sudo, or no apt-get). Install it in one of these ways and run again:
  - Debian/Ubuntu:  sudo apt-get update && sudo apt-get install -y $debian_packages
  - conda:          conda env create -f environment.yml && conda activate adversarial-fragility
  - your own Python with Jupyter:  export FRAGILITY_PYTHON=/path/to/python
MSG
    exit 1
  fi
fi
[ -n "$(find_python)" ] || { echo "Jupyter was installed but no Python can import nbclient and nbconvert" >&2; exit 1; }

# Headless Chromium (Debian's package, never a downloaded browser) for the test that opens the HTML,
# and poppler-utils (pdfinfo, pdftotext, pdfimages), with which the tests read the PDFs it prints.
test_packages=()
if ! command -v chromium >/dev/null 2>&1 && [ -z "${CHROMIUM_PATH:-}" ]; then test_packages+=(chromium); fi
if ! command -v pdfinfo >/dev/null 2>&1 || ! command -v pdftotext >/dev/null 2>&1; then test_packages+=(poppler-utils); fi
if [ "${#test_packages[@]}" -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1 && { [ "$(id -u)" -eq 0 ] || sudo -n true 2>/dev/null; }; then
    sudo_=""; [ "$(id -u)" -eq 0 ] || sudo_="sudo -n"
    say "Installing ${test_packages[*]} from Debian packages (the browser and PDF tests of the exported HTML)"
    $sudo_ apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo_ apt-get install -y -q "${test_packages[@]}"
  else
    echo "note: ${test_packages[*]} not found; the browser and PDF tests need them (apt-get install ${test_packages[*]}; or set CHROMIUM_PATH)" >&2
  fi
fi

# 3. The library and the kernelspec.
say "Building the library (tsc --strict) and the WebAssembly kernels (wabt)"
rm -rf dist
npx --no-install tsc -p .
node dist/scripts/build-wasm.js
node dist/scripts/jupyter.js

if [ "$run" -eq 1 ]; then
  say "Reproducing every notebook at paper scale"
  node dist/scripts/reproduce.js --scale paper
fi
