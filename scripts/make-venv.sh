#!/bin/sh
# Create the virtual environment, installing Debian's venv module first if it is missing.
set -e
target=${1:-.venv}
python=${PYTHON:-python3}
if "$python" -m venv "$target" 2>/dev/null; then
    exit 0
fi
rm -rf "$target"
if command -v apt-get >/dev/null 2>&1; then
    version=$("$python" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "Installing python$version-venv (needed to create $target)..."
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq "python$version-venv" || $sudo apt-get install -y -qq python3-venv
    "$python" -m venv "$target"
else
    echo "Cannot create a virtual environment: install the venv module for $python." >&2
    exit 1
fi
