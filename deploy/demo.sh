#!/usr/bin/env bash
# The newcomer's first minute: starts a demo target (an OpenSSH server on a loopback port with its own config and
# host key under $GATEHOUSE_STATE/demo), seeds a demo admin, a demo user with a key, the target, a grant and the
# target's credential in the vault through the admin CLI, and prints the ssh line that reaches the demo target through
# the gateway. deploy/run.sh calls it once the services are healthy; "deploy/demo.sh stop" stops the demo target.
# Safe to run again: it reuses the keys and skips what exists.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo_root=$(pwd)
state=${GATEHOUSE_STATE:-$(dirname "${GATEHOUSE_SECRETS:-/var/lib/gatehouse/secrets.env}")}
demo=$state/demo
port=${GATEHOUSE_DEMO_TARGET_PORT:-2200}
gateway_port=${GATEHOUSE_GATEWAY_PORT:-2222}
login=$(id -un)
pidfile=$demo/sshd.pid

stop_target() {
  if [ -f "$pidfile" ]; then
    kill "$(cat "$pidfile")" 2>/dev/null || true
    rm -f "$pidfile"
  fi
}

if [ "${1:-}" = stop ]; then
  stop_target
  exit 0
fi

mkdir -p "$demo"
chmod 700 "$demo"
for key in target_host_key target_credential_key demo_user_key; do
  [ -f "$demo/$key" ] || ssh-keygen -q -t ed25519 -N '' -C "gatehouse-demo-$key" -f "$demo/$key"
done
cp "$demo/target_credential_key.pub" "$demo/authorized_keys"

cat >"$demo/sshd_config" <<CONFIG
Port $port
ListenAddress 127.0.0.1
HostKey $demo/target_host_key
AuthorizedKeysFile $demo/authorized_keys
TrustedUserCAKeys $demo/trusted_user_ca_keys
PidFile $pidfile
UsePAM no
StrictModes no
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
Subsystem sftp /usr/lib/openssh/sftp-server
CONFIG

stop_target
[ "$(id -u)" -eq 0 ] && mkdir -p /run/sshd
/usr/sbin/sshd -f "$demo/sshd_config" -E "$demo/sshd.log"
echo "[demo] demo target: OpenSSH on 127.0.0.1:$port (config $demo/sshd_config)" >&2

cli=(dotnet "$repo_root/tools/Gatehouse.Cli/bin/Release/net10.0/gatehouse.dll")
[ -f "${cli[1]}" ] || dotnet build tools/Gatehouse.Cli/Gatehouse.Cli.csproj -c Release -nologo -v quiet >&2
# The demo is seeded into the services run.sh started here, whatever installation this shell's CLI settings name.
unset GATEHOUSE_TOKEN
export GATEHOUSE_TOKEN_FILE=$demo/admin-token GATEHOUSE_AUTHENTICATION_URL=http://127.0.0.1:5101/ \
  GATEHOUSE_AUTHORIZATION_URL=http://127.0.0.1:5102/ GATEHOUSE_SESSION_BROKER_URL=http://127.0.0.1:5103/
admin=demo-admin
# The Authentication service leaves a bootstrap secret while no admin exists (a new database): the demo admin is
# created with it. Otherwise the demo admin's password from an earlier run logs in.
secret_file=$state/authentication/bootstrap-secret
if [ -f "$secret_file" ]; then
  [ -f "$demo/admin-password" ] || (umask 077; openssl rand -hex 16 >"$demo/admin-password")
  "${cli[@]}" bootstrap --secret-file "$secret_file" --user "$admin" <"$demo/admin-password" >/dev/null
elif [ ! -f "$demo/admin-password" ]; then
  echo "[demo] an admin exists already and it is not the demo admin: seed the demo yourself (README, 'Connecting through the gateway')" >&2
  exit 0
fi
printf '%s\n\n' "$(cat "$demo/admin-password")" | "${cli[@]}" login --user "$admin" --token-file "$GATEHOUSE_TOKEN_FILE" >/dev/null

# Steps that find their object already there fail with a conflict; that is the state wanted.
quiet() { "${cli[@]}" "$@" >/dev/null 2>&1 || true; }
# sshd reads TrustedUserCAKeys at each sign-in: the demo target trusts Gatehouse's user CA from here on.
"${cli[@]}" ca show --user >"$demo/trusted_user_ca_keys"
quiet users create demo --role user
quiet users add-key demo "$demo/demo_user_key.pub"
quiet targets add demo --address 127.0.0.1 --port "$port" --login "$login" --label env=demo --trusts-gatehouse-ca \
  --host-key "$(cut -d' ' -f1,2 "$demo/target_host_key.pub")"
if ! "${cli[@]}" grants list --subject demo 2>/dev/null | grep -q '"demo"'; then
  "${cli[@]}" grants issue --user demo --target demo --login "$login" >/dev/null
fi
# A demo target registered by an earlier version signs in with the vaulted key; a new one uses a session certificate.
"${cli[@]}" vault store demo "$login" --private-key-file "$demo/target_credential_key" >/dev/null

# A known_hosts of the demo's own, read from the gateway this script just saw start: the printed line checks the
# gateway's identity without trusting whatever answers first, and never clashes with the user's own known_hosts.
ssh-keyscan -p "$gateway_port" 127.0.0.1 2>/dev/null >"$demo/known_hosts" || true
[ -s "$demo/known_hosts" ] || { echo "[demo] the gateway does not answer on 127.0.0.1:$gateway_port" >&2; exit 1; }

# The key belongs to whoever started run.sh with sudo, so the printed line works without sudo too.
if [ -n "${SUDO_USER:-}" ]; then
  chown "$SUDO_USER" "$demo" "$demo/demo_user_key" "$demo/demo_user_key.pub" "$demo/known_hosts"
fi

echo "[demo] demo user 'demo' may reach target 'demo' as $login. Try:" >&2
echo "ssh -i $demo/demo_user_key -o IdentitiesOnly=yes -o UserKnownHostsFile=$demo/known_hosts -p $gateway_port demo:$login@demo@127.0.0.1"
