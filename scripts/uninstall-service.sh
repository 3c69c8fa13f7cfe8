#!/usr/bin/env bash
# Removes the backup321 agent's systemd service: stops and disables it and removes the unit. The
# config, token, state dir (with the instance id and the reports not yet sent) and the user are kept,
# so a reinstall is the same agent instance; --purge removes them too. docs/operations.md: uninstall.
#
#   uninstall-service.sh [--root DIR] [--purge]
set -euo pipefail

SERVICE=backup321
USER_NAME=backup321

root=/
purge=false
while [ $# -gt 0 ]; do
  case "$1" in
    --root) root="${2:?--root needs a directory}"; shift 2 ;;
    --purge) purge=true; shift ;;
    -h | --help) sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "uninstall-service.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

[ "$(id -u)" = 0 ] || { echo "uninstall-service.sh: run as root" >&2; exit 1; }
root="$(cd "$root" && pwd)"
at() { printf '%s%s' "${root%/}" "$1"; }
offline=false
[ "$root" = / ] || offline=true

unit="$(at /etc/systemd/system/$SERVICE.service)"
if $offline; then
  [ -e "$unit" ] && systemctl --root="$root" disable "$SERVICE.service" || true
elif [ -d /run/systemd/system ]; then
  systemctl disable --now "$SERVICE.service" 2>/dev/null || true
fi
rm -f "$unit"
rm -rf "$(at /etc/systemd/system/$SERVICE.service.d)"
if ! $offline && [ -d /run/systemd/system ]; then
  systemctl daemon-reload
  systemctl reset-failed "$SERVICE.service" 2>/dev/null || true
fi

if $purge; then
  rm -rf "$(at /etc/backup321)" "$(at /var/lib/backup321)"
  if grep -q "^${USER_NAME}:" "$(at /etc/passwd)"; then
    prefix=()
    $offline && prefix=(--prefix "$root")
    userdel "${prefix[@]}" "$USER_NAME"
  fi
  # userdel leaves the user's group where login.defs says USERGROUPS_ENAB no (and under --root).
  if grep -q "^${USER_NAME}:" "$(at /etc/group)"; then
    prefix=()
    $offline && prefix=(--prefix "$root")
    groupdel "${prefix[@]}" "$USER_NAME"
  fi
  echo "uninstall-service.sh: removed the service, its config, token, state and user"
else
  echo "uninstall-service.sh: removed the service; kept /etc/backup321, /var/lib/backup321 and the user (--purge removes them)"
fi
