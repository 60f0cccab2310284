#!/usr/bin/env bash
# Builds `tributary-base:local` without pulling any image: a minimal Debian bookworm root
# filesystem (debootstrap, from the Debian mirror apt uses) with PostgreSQL 15 and the host's Node
# binary, turned into an image with `docker import`. Used by docker/check-local.sh.
set -euo pipefail
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
ROOTFS="$(mktemp -d /tmp/tributary-rootfs-XXXXXX)"
trap 'rm -rf "$ROOTFS"' EXIT
command -v debootstrap >/dev/null || { apt-get update -qq && apt-get install -y -qq debootstrap; }
echo "debootstrap bookworm into $ROOTFS ..."
debootstrap --variant=minbase --include=postgresql-15,ca-certificates,procps bookworm "$ROOTFS" "$MIRROR" >/tmp/tributary-debootstrap.log 2>&1 \
  || { tail -20 /tmp/tributary-debootstrap.log; exit 1; }
cp "$(command -v node)" "$ROOTFS/usr/local/bin/node"
for lib in libstdc++.so.6 libgcc_s.so.1; do
  [ -e "$ROOTFS/lib/x86_64-linux-gnu/$lib" ] || cp -L "/lib/x86_64-linux-gnu/$lib" "$ROOTFS/lib/x86_64-linux-gnu/"
done
rm -rf "$ROOTFS"/var/cache/apt/archives/*.deb "$ROOTFS"/var/lib/apt/lists/*
tar -C "$ROOTFS" -c . | docker import -c 'ENV PATH=/usr/local/bin:/usr/bin:/bin:/usr/lib/postgresql/15/bin' - tributary-base:local
docker run --rm tributary-base:local node --version
