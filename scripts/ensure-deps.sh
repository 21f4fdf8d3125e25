#!/usr/bin/env bash
# Installs what the project needs on a fresh Debian machine: PostgreSQL (server and libpq), libcurl (webhooks over
# https, mail with STARTTLS/AUTH) and pkg-config.
# Idempotent and quiet when everything is present.
set -euo pipefail
missing=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
[ -f /usr/include/postgresql/libpq-fe.h ] || missing+=(libpq-dev)
compgen -G "/usr/include/*curl/curl.h" >/dev/null || compgen -G "/usr/include/*/curl/curl.h" >/dev/null || missing+=(libcurl4-openssl-dev)
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
for extra in "$@"; do
  case "$extra" in
    wrk|nginx) command -v "$extra" >/dev/null 2>&1 || missing+=("$extra") ;;
    *) dpkg -s "$extra" >/dev/null 2>&1 || missing+=("$extra") ;;
  esac
done
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
