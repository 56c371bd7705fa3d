#!/usr/bin/env bash
# Makes the local development key pair for admin JWTs, once: .local/jwt/private.pem (PKCS#8, RS256 signing, never
# committed: .local/ is git-ignored) and .local/jwt/public.pem (what the service verifies admin tokens with by
# default). A second run changes nothing. Prints the public key's location as the service's setting takes it.
set -euo pipefail
cd "$(dirname "$0")/.."

dir=.local/jwt
if [ ! -s "$dir/private.pem" ] || [ ! -s "$dir/public.pem" ]; then
  mkdir -p "$dir"
  chmod 700 "$dir"
  (umask 077 && openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$dir/private.pem" 2>/dev/null)
  openssl pkey -in "$dir/private.pem" -pubout -out "$dir/public.pem"
  echo "jwt-keys: created the local admin key pair in $dir" >&2
fi
echo "file:$PWD/$dir/public.pem"
