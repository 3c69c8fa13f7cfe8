#!/usr/bin/env bash
# Installs the backup321 agent as a systemd service: a system user, its config and token files with
# the right owners and modes, its state dir, the unit; then enables it (and starts it with --start).
# Run again to upgrade: the unit is replaced, the config, token and state dir are kept (modes fixed).
# docs/operations.md: install, upgrade, uninstall.
#
#   install-service.sh [--root DIR] [--bin PATH] [--token-stdin] [--start] [--no-enable]
#
#   --root DIR      install into DIR as its root (an image being built, a test): no systemctl start,
#                   the user is added to DIR/etc/passwd
#   --bin PATH      the backup321 command (default: `command -v backup321`)
#   --token-stdin   read the collector token from standard input (never from the command line)
#   --start         start (or restart) the service now
#   --no-enable     do not enable it at boot
set -euo pipefail

SERVICE=backup321
USER_NAME=backup321
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

root=/
bin=""
token_stdin=false
start=false
enable=true
while [ $# -gt 0 ]; do
  case "$1" in
    --root) root="${2:?--root needs a directory}"; shift 2 ;;
    --bin) bin="${2:?--bin needs a path}"; shift 2 ;;
    --token-stdin) token_stdin=true; shift ;;
    --start) start=true; shift ;;
    --no-enable) enable=false; shift ;;
    -h | --help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install-service.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

[ "$(id -u)" = 0 ] || { echo "install-service.sh: run as root" >&2; exit 1; }
root="$(cd "$root" && pwd)"
at() { printf '%s%s' "${root%/}" "$1"; }
offline=false
[ "$root" = / ] || offline=true

if [ -z "$bin" ]; then
  bin="$(command -v backup321 || true)"
  [ -n "$bin" ] || { echo "install-service.sh: backup321 is not on PATH; npm install -g backup321, or give --bin" >&2; exit 1; }
fi
case "$bin" in /*) ;; *) echo "install-service.sh: --bin must be an absolute path" >&2; exit 2 ;; esac

# 1. The system user: no login, no home of its own (the state dir is made below).
prefix=()
$offline && prefix=(--prefix "$root")
if ! grep -q "^${USER_NAME}:" "$(at /etc/passwd)"; then
  useradd "${prefix[@]}" --system --user-group --no-create-home --home-dir /var/lib/backup321 \
    --shell /usr/sbin/nologin --comment "backup321 agent" "$USER_NAME"
fi
# Numeric ids from the root's own files: with --root, the host does not know the user.
uid="$(awk -F: -v u="$USER_NAME" '$1 == u { print $3 }' "$(at /etc/passwd)")"
gid="$(awk -F: -v u="$USER_NAME" '$1 == u { print $4 }' "$(at /etc/passwd)")"

# 2. Config: root writes it, the service reads it (group), nobody else.
install -d -m 0750 -o 0 -g "$gid" "$(at /etc/backup321)"
config="$(at /etc/backup321/agent.config.json)"
if [ ! -e "$config" ]; then
  example="$here/../agent.config.example.json"
  if [ -f "$example" ]; then
    install -m 0640 -o 0 -g "$gid" "$example" "$config"
    echo "install-service.sh: wrote an example config to /etc/backup321/agent.config.json: edit it"
  fi
fi
[ -e "$config" ] && chown "0:$gid" "$config" && chmod 0640 "$config"

# 3. The collector token: root only; systemd hands it to the service (LoadCredential=).
token="$(at /etc/backup321/token)"
if $token_stdin; then
  (umask 077 && cat >"$token.new") && chown 0:0 "$token.new" && chmod 0600 "$token.new" && mv -f "$token.new" "$token"
elif [ ! -e "$token" ]; then
  (umask 077 && : >"$token")
  echo "install-service.sh: /etc/backup321/token is empty: put the collector token in it (or use --token-stdin)"
fi
chown 0:0 "$token" && chmod 0600 "$token"

# 4. The state dir: the service user's alone (outbox, caches, instance id).
install -d -m 0755 "$(at /var/lib)"
install -d -m 0700 -o "$uid" -g "$gid" "$(at /var/lib/backup321)"
chown "$uid:$gid" "$(at /var/lib/backup321)" && chmod 0700 "$(at /var/lib/backup321)"

# 5. The unit, with this machine's backup321 command.
install -d -m 0755 "$(at /etc/systemd/system)"
unit="$(at /etc/systemd/system/$SERVICE.service)"
sed "s#^ExecStart=/usr/local/bin/backup321 #ExecStart=$bin #" "$here/backup321.service" >"$unit.new"
chmod 0644 "$unit.new" && mv -f "$unit.new" "$unit"

# 6. Enable (and start).
if $offline; then
  $enable && systemctl --root="$root" enable "$SERVICE.service"
  echo "install-service.sh: installed into $root"
  exit 0
fi
if [ ! -d /run/systemd/system ]; then
  echo "install-service.sh: systemd is not running here: installed, not enabled or started"
  exit 0
fi
systemctl daemon-reload
$enable && systemctl enable "$SERVICE.service"
if $start; then
  systemctl restart "$SERVICE.service"
  systemctl --no-pager status "$SERVICE.service" || true
else
  echo "install-service.sh: installed; start it with: systemctl start $SERVICE"
fi
