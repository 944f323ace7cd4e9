#!/usr/bin/env bash
# Runs every Gatehouse test against the real PostgreSQL, RabbitMQ and OpenSSH on this machine.
# Installs and starts what is missing (as root), builds once, then runs the test projects one after another:
# some tests stop the broker on purpose, which must not disturb the others.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [ "$(id -u)" -ne 0 ]; then
  echo "deploy/test.sh installs Debian packages and starts PostgreSQL and RabbitMQ: run it as root (sudo $0)." >&2
  exit 1
fi

# The packages of deploy/packages: what run.sh needs and the tools only the tests use.
./deploy/infra.sh up test

# docker-compose.yml cannot run here (no Docker engine), but it must stay valid.
compose_env=$(mktemp)
sed -n 's/.*\${\([A-Za-z_]*\):?.*/\1=placeholder/p' docker-compose.yml | sort -u >"$compose_env"
docker-compose --env-file "$compose_env" config -q || { echo "[test] docker-compose.yml is not valid" >&2; exit 1; }
rm -f "$compose_env"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

dotnet build Platform.sln -c Release -warnaserror -nologo -v quiet
status=0
results=$(mktemp)
trap 'rm -f "$results"' EXIT
for project in $(dotnet sln Platform.sln list | grep -E '^tests/.*Tests\.csproj$' | sort); do
  echo "[test] $project" >&2
  dotnet test "$project" -c Release --no-build --nologo | tee -a "$results" || status=1
done

# One closing line for the whole run, summed over the test projects.
count() { grep -oE "$1: +[0-9]+" "$results" | awk '{s+=$2} END {print s+0}'; }
echo "$(count Passed) passed, $(count Failed) failed, $(count Skipped) skipped"
exit $status
