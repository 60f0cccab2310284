# Tributary image: every role from one image (`tributary <role>`).
#
# BASE defaults to the official Node image. Machines that cannot pull images build a local base
# with `docker/make-base-image.sh` (a Debian root filesystem with Node, `docker import`-ed) and pass
# `--build-arg BASE=tributary-base:local`.
ARG BASE=node:20-bookworm-slim
FROM ${BASE}
WORKDIR /opt/tributary
# The whole build context (.dockerignore keeps out .git, tests, docs and data). node_modules comes
# with it when present (offline builds: the local base has no npm), else from npm. Not
# `COPY node_modules`: that fails on a fresh clone, which has none.
COPY . ./
COPY docker/entrypoint.sh /usr/local/bin/tributary-entrypoint
RUN [ -d node_modules/@tributary ] || npm ci --omit=dev --no-audit --no-fund
ENV TRIBUTARY_LOG_LEVEL=info
ENTRYPOINT ["/usr/local/bin/tributary-entrypoint"]
CMD ["playground", "--host", "0.0.0.0", "--data-dir", "/data"]
