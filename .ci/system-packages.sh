#!/usr/bin/env bash
# Installs the Debian packages HireDay needs when they are missing.
#   .ci/system-packages.sh run   — what `make run` needs (WeasyPrint's Pango, fonts)
#   .ci/system-packages.sh test  — plus Chromium for the browser tests and poppler for PDF checks
#   .ci/system-packages.sh bench — plus wrk, the load generator of bench/checkin.py, and Chromium (bench/phone.py)
# As root it installs them with apt-get; otherwise it prints the exact command and fails.
set -euo pipefail
want=${1:-run}

missing=()
need() { # need <apt package> <test command…>
  local package=$1; shift
  "$@" >/dev/null 2>&1 || missing+=("$package")
}
has_lib() { ldconfig -p | grep "$1" >/dev/null; }  # no -q: it would cut the pipe (pipefail)
has_font() { fc-list : family 2>/dev/null | grep -i "$1" >/dev/null; }

need libpango-1.0-0 has_lib 'libpango-1.0.so'
need libpangoft2-1.0-0 has_lib 'libpangoft2-1.0.so'
need libharfbuzz-subset0 has_lib 'libharfbuzz-subset.so'  # WeasyPrint 70 warns (an error in the tests) without it
need fontconfig command -v fc-list
need fonts-dejavu-core has_font 'DejaVu Sans'
need fonts-liberation2 has_font 'Liberation Sans'
if [ "$want" = test ]; then
  need chromium test -x /usr/bin/chromium
  need poppler-utils command -v pdftotext
  need redis-server command -v redis-server  # the job worker's tests share a queue on Redis
fi
if [ "$want" = bench ]; then
  need wrk command -v wrk
  need chromium test -x /usr/bin/chromium  # bench/phone.py: a phone on slow 3G
fi

[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  echo "Installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "HireDay needs these system packages: ${missing[*]}" >&2
  echo "Install them with:  sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
