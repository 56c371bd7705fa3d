#!/usr/bin/env bash
# Prints, as its last line, an admin JWT (RS256, group "admin") signed with the local development key pair that
# scripts/jwt-keys.sh makes on first use. The service accepts it when it verifies with that pair's public key (its
# default) and expects the same issuer. Settings: SANDBOX_JWT_ISSUER (default code-sandbox-local) and
# ADMIN_TOKEN_TTL_SECONDS (default 3600).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/jwt-keys.sh >/dev/null
issuer=${SANDBOX_JWT_ISSUER:-code-sandbox-local}
ttl=${ADMIN_TOKEN_TTL_SECONDS:-3600}
now=$(date +%s)

b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }

header=$(printf '{"alg":"RS256","typ":"JWT"}' | b64url)
claims=$(printf '{"iss":"%s","sub":"admin","upn":"admin","groups":["admin"],"iat":%d,"exp":%d,"jti":"%s"}' \
  "$issuer" "$now" "$((now + ttl))" "$(openssl rand -hex 16)" | b64url)
signature=$(printf '%s.%s' "$header" "$claims" | openssl dgst -sha256 -sign .local/jwt/private.pem -binary | b64url)

echo "admin token for $issuer, valid ${ttl}s (send it as: Authorization: Bearer <token>):" >&2
echo "$header.$claims.$signature"
