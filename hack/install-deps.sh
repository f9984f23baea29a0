#!/usr/bin/env bash
# Installs the Debian packages the tests use, only when something is missing, so `make test`
# works on a fresh machine and costs nothing on a prepared one.
set -euo pipefail

need=()
have() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ]; }
have etcd         || need+=(etcd-server)
have krb5kdc      || need+=(krb5-kdc)
have kadmin.local || need+=(krb5-admin-server)
have kinit        || need+=(krb5-user)
have prometheus   || need+=(prometheus)
have promtool     || need+=(prometheus)
have javac        || need+=(default-jdk-headless)

if [ ${#need[@]} -eq 0 ]; then exit 0; fi
mapfile -t need < <(printf '%s\n' "${need[@]}" | sort -u)
echo "install-deps: installing ${need[*]}" >&2
if [ "$(id -u)" != 0 ]; then
  echo "install-deps: not root; install these Debian packages: ${need[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# The packaged services (krb5kdc, prometheus) are not started: tests run their own instances
# in temp dirs on loopback ports.
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
