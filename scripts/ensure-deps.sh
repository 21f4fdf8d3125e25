#!/usr/bin/env bash
# Installs what the project needs on a fresh Debian machine: PostgreSQL (server and libpq), libcurl (webhooks over
# https, mail with STARTTLS/AUTH) and pkg-config; and the extras named as arguments (Debian packages, or pip:MODULE).
# Idempotent and quiet when everything is present.
set -euo pipefail
missing=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
[ -f /usr/include/postgresql/libpq-fe.h ] || missing+=(libpq-dev)
compgen -G "/usr/include/*curl/curl.h" >/dev/null || compgen -G "/usr/include/*/curl/curl.h" >/dev/null || missing+=(libcurl4-openssl-dev)
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
python_missing=()
for extra in "$@"; do
  case "$extra" in
    wrk|nginx) command -v "$extra" >/dev/null 2>&1 || missing+=("$extra") ;;
    # pip:MODULE — a Python module from PyPI (same name), for the test helpers in Tests/.
    pip:*) python3 -c "import ${extra#pip:}" >/dev/null 2>&1 || python_missing+=("${extra#pip:}") ;;
    *) dpkg -s "$extra" >/dev/null 2>&1 || missing+=("$extra") ;;
  esac
done
if [ ${#python_missing[@]} -gt 0 ]; then python3 -m pip --version >/dev/null 2>&1 || missing+=(python3-pip); fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}" >&2
  if [ "$(id -u)" -ne 0 ]; then
    echo "not root: please install ${missing[*]} (apt-get install -y ${missing[*]})" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # The Debian package may start a cluster of its own; we run our own clusters.
fi
if [ ${#python_missing[@]} -gt 0 ]; then
  echo "installing: ${python_missing[*]} (pip)" >&2
  python3 -m pip install -q "${python_missing[@]}" >/dev/null 2>&1 || python3 -m pip install -q --break-system-packages "${python_missing[@]}"
fi
