#!/usr/bin/env bash
# Runs the whole Gatehouse platform on this machine, in the foreground: PostgreSQL and RabbitMQ (installed and
# started when missing), then the four services and the web console on their loopback ports. Logs go to $GATEHOUSE_STATE/logs.
# Ctrl-C stops the services this script started; PostgreSQL and RabbitMQ keep running for the next start.
# The admin CLI is installed as the command 'gatehouse' ($GATEHOUSE_PREFIX/bin, /usr/local/bin by default).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo_root=$(pwd)

if [ "$(id -u)" -ne 0 ]; then
  echo "deploy/run.sh installs and starts PostgreSQL and RabbitMQ the first time: run it as root (sudo $0)." >&2
  exit 1
fi

./deploy/infra.sh up
eval "$(./deploy/infra.sh env)"
state=$GATEHOUSE_STATE
# Earlier versions kept the state in the checkout: the first run after the move carries it over, or the audit
# chain's signing key, the gateway's host keys, the recordings and the demo's admin password would be lost.
if [ -d "$repo_root/.gatehouse" ] && [ ! -e "$state/audit" ] && [ "$state" != "$repo_root/.gatehouse" ]; then
  echo "[run] moving the state from $repo_root/.gatehouse to $state" >&2
  cp -an "$repo_root/.gatehouse/." "$state/"
fi
mkdir -p "$state/logs"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
echo "[run] building" >&2
dotnet build Platform.sln -c Release -nologo -v quiet >&2

# The CLI is a .NET tool: packed from this build and installed afresh on every run, so the command is never older
# than the services. A package cache of its own, or NuGet would reuse an earlier build packed under the same version.
install_cli() {
  local prefix=${GATEHOUSE_PREFIX:-/usr/local} packages
  packages=$(mktemp -d)
  dotnet pack tools/Gatehouse.Cli/Gatehouse.Cli.csproj -c Release --no-build -nologo -v quiet -o "$packages" >&2
  dotnet tool uninstall gatehouse --tool-path "$prefix/lib/gatehouse-cli" >/dev/null 2>&1 || true
  NUGET_PACKAGES="$packages/cache" dotnet tool install gatehouse --tool-path "$prefix/lib/gatehouse-cli" \
    --add-source "$packages" >/dev/null
  rm -rf "$packages"
  mkdir -p "$prefix/bin"
  ln -sfn "$prefix/lib/gatehouse-cli/gatehouse" "$prefix/bin/gatehouse"
  echo "[run] admin CLI installed as $prefix/bin/gatehouse" >&2
}
install_cli

pids=()
stopping=
stop_all() {
  trap - INT TERM EXIT
  stopping=yes
  echo "[run] stopping services" >&2
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  ./deploy/demo.sh stop || true
  wait 2>/dev/null || true
}
trap stop_all INT TERM EXIT

start() {
  local name=$1 project=$2 slug=$3 port=$4
  local password_var="GATEHOUSE_PASSWORD_${slug//-/_}"
  (
    cd "$repo_root/$(dirname "$project")"
    export ConnectionStrings__Postgres="Host=127.0.0.1;Port=5432;Database=$GATEHOUSE_DATABASE;Username=gatehouse_${slug//-/_}"
    # The web console has no database or bus account (no password of its own).
    export Gatehouse__EventStore__Password="${!password_var:-}" Gatehouse__Bus__Password="${!password_var:-}"
    export Gatehouse__Bus__VirtualHost="$GATEHOUSE_VHOST"
    export ASPNETCORE_ENVIRONMENT=${ASPNETCORE_ENVIRONMENT:-Production}
    export Gatehouse__Authentication__SecretsKey="$GATEHOUSE_AUTHENTICATION_SECRETS_KEY"
    if [ "$slug" = session-broker ]; then
      # The vault key seals target credentials; its id "local1" is recorded with each one so the key can rotate.
      # Host keys and recordings go under the local state folder.
      export Gatehouse__Vault__Keys__local1="$GATEHOUSE_SESSION_BROKER_VAULT_KEY" Gatehouse__Vault__ActiveKey=local1
    fi
    # Relative paths of every service (host keys, recordings, the audit signing key) live under the state folder;
    # the Audit service serves the recordings the SessionBroker writes.
    export Gatehouse__State="$state" Gatehouse__Audit__RecordingsDirectory="$state/recordings"
    exec dotnet "$(ls bin/Release/net10.0/Gatehouse.$name.dll)"
  ) >>"$state/logs/$slug.log" 2>&1 &
  pids+=($!)
  echo "[run] $name starting on http://127.0.0.1:$port (log: $state/logs/$slug.log)" >&2
}

start Authentication services/Authentication/Authentication.csproj authentication 5101
start Authorization services/Authorization/Authorization.csproj authorization 5102
start SessionBroker services/SessionBroker/SessionBroker.csproj session-broker 5103
start Audit services/Audit/Audit.csproj audit 5104
# The web console keeps no data: it calls the four services' APIs (its appsettings.json names them on 5101-5104).
start Console services/Console/Console.csproj console 5105

for port in 5101 5102 5103 5104 5105; do
  for _ in $(seq 1 60); do
    curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break
    sleep 1
  done
  curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1 ||
    { echo "[run] the service on port $port is not healthy: see $state/logs/" >&2; exit 1; }
done

./deploy/demo.sh

echo "[run] web console: http://127.0.0.1:5105/ (sign in as demo-admin, password in $state/demo/admin-password, no code)" >&2
echo "[run] Gatehouse is running. Admin and SOC APIs take a token from 'gatehouse login' (see README)." >&2
echo "[run] Ctrl-C stops the services." >&2
wait -n "${pids[@]}" || true
# Ctrl-C runs stop_all during the wait; only a service that died on its own is a failure.
[[ -n $stopping ]] && exit 0
echo "[run] a service stopped unexpectedly: see $state/logs/" >&2
exit 1
