#!/usr/bin/env bash
# Make sure the Debian packages scl-tui needs are on this machine.
# As root, missing ones are installed with apt; otherwise we say what to install.
# A second run finds everything and installs nothing.
set -euo pipefail

packages=(
    portaudio19-dev   # PyAudio builds against PortAudio
    libasound2        # PortAudio's ALSA backend: recordings play through it
    libasound2-data   # /usr/share/alsa/alsa.conf, which the tests' sound card config extends
    postgresql-15     # the test suite starts a throwaway PostgreSQL 15 server
    tmux              # the end-to-end test drives the real app in tmux
    espeak-ng         # the transcription tests make real speech with it
    chromium          # the scl serve tests open the app in headless Chromium (Playwright drives it)
)

# pip needs venv support and, for PyAudio, a compiler and the Python headers.
python=${PYTHON:-python3}
if ! "$python" -c "import venv, ensurepip" >/dev/null 2>&1; then
    packages+=(python3-venv)
fi
if ! command -v cc >/dev/null 2>&1; then
    packages+=(build-essential)
fi
include=$("$python" -c "import sysconfig; print(sysconfig.get_paths()['include'])")
if [ ! -f "$include/Python.h" ]; then
    packages+=(python3-dev)
fi

missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "scl-tui needs these Debian packages: ${missing[*]}" >&2
    echo "Install them, then run make again:  sudo apt-get install -y ${missing[*]}" >&2
    exit 1
fi

echo "Installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
