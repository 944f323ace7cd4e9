#!/bin/sh
# One-shot: the virtual host and one RabbitMQ user per service, through the management API.
set -eu
api=http://rabbitmq:15672/api
auth="gatehouse-admin:$GATEHOUSE_RABBITMQ_ADMIN_PASSWORD"
until curl -fsS -u "$auth" "$api/overview" >/dev/null; do sleep 2; done
curl -fsS -u "$auth" -X PUT "$api/vhosts/gatehouse" >/dev/null
for service in authentication authorization session-broker audit; do
  var=$(echo "GATEHOUSE_PASSWORD_$service" | tr - _)
  password=$(eval echo "\$$var")
  curl -fsS -u "$auth" -X PUT -H 'content-type: application/json' \
    -d "{\"password\":\"$password\",\"tags\":\"\"}" "$api/users/gatehouse-$service" >/dev/null
  curl -fsS -u "$auth" -X PUT -H 'content-type: application/json' \
    -d '{"configure":".*","write":".*","read":".*"}' "$api/permissions/gatehouse/gatehouse-$service" >/dev/null
done
echo "RabbitMQ users ready"
