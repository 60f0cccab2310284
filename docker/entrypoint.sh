#!/bin/sh
# Runs a Tributary role; `s3rver` runs the S3 test server shipped in node_modules (for offline checks).
set -e
cd /opt/tributary
if [ "$1" = "s3rver" ]; then
  shift
  exec node --openssl-legacy-provider node_modules/s3rver/bin/s3rver.js "$@"
fi
exec node packages/cli/bin/tributary.js "$@"
