# PaperGao container image (docs/deploy.md, "Container").
#   docker build -t papergao .
#   docker run -p 8090:8090 -v papergao_data:/data papergao
# Stage 1 builds the self-contained single-file executable (the same as ./papergao publish) with the .NET SDK and
# Node.js (the dashboard is built by npm and embedded). Stage 2 is the small runtime-deps base with that one file.
# Multi-platform (docker buildx build --platform linux/amd64,linux/arm64): the build stages run on the build machine's
# platform and cross-publish for TARGETARCH, so nothing runs under emulation.
ARG DOTNET_VERSION=10.0
ARG NODE_IMAGE=node:22-bookworm-slim

FROM --platform=$BUILDPLATFORM ${NODE_IMAGE} AS node

FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS build
ARG TARGETARCH
# Node.js for the dashboard and GraphiQL builds (the SDK image has none).
COPY --from=node /usr/local/bin/node /usr/local/bin/node
COPY --from=node /usr/local/lib/node_modules /usr/local/lib/node_modules
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm && node --version && npm --version
WORKDIR /src
# Restore first, so the package layer is cached while only sources change.
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/PaperGao.Core/*.csproj src/PaperGao.Core/packages.lock.json src/PaperGao.Core/
COPY src/PaperGao.Api/*.csproj src/PaperGao.Api/packages.lock.json src/PaperGao.Api/
COPY src/PaperGao.Api/Dashboard/Dashboard.targets src/PaperGao.Api/Dashboard/
COPY src/PaperGao.Api/GraphiQL/GraphiQL.targets src/PaperGao.Api/GraphiQL/
COPY src/PaperGao.Functions/*.csproj src/PaperGao.Functions/packages.lock.json src/PaperGao.Functions/
COPY src/PaperGao.GraphQL/*.csproj src/PaperGao.GraphQL/packages.lock.json src/PaperGao.GraphQL/
COPY src/PaperGao.Server/*.csproj src/PaperGao.Server/packages.lock.json src/PaperGao.Server/
RUN case "${TARGETARCH:-amd64}" in arm64) rid=linux-arm64 ;; *) rid=linux-x64 ;; esac \
 && dotnet restore src/PaperGao.Server/PaperGao.Server.csproj --locked-mode -p:PaperGaoReleaseRid="$rid" -p:PublishReadyToRun=true
COPY dashboard/package.json dashboard/package-lock.json dashboard/
RUN cd dashboard && npm ci --no-audit --no-fund
COPY graphiql/package.json graphiql/package-lock.json graphiql/
RUN cd graphiql && npm ci --no-audit --no-fund
COPY . .
RUN case "${TARGETARCH:-amd64}" in arm64) rid=linux-arm64 ;; *) rid=linux-x64 ;; esac \
 && ./scripts/publish.sh "$rid" \
 && install -D -m 0755 "dist/papergao-$rid" /out/papergao \
 && mkdir -p /out/data

FROM mcr.microsoft.com/dotnet/runtime-deps:${DOTNET_VERSION}
# The base image has the non-root user "app" (uid 1654, $APP_UID); PaperGao runs as that user.
COPY --from=build /out/papergao /app/papergao
COPY --from=build --chown=$APP_UID:$APP_UID /out/data /data
# The DOTNET_TC_* values are scripts/runtime.env's (docs/deploy.md, "Runtime settings").
ENV PAPERGAO_HTTP=0.0.0.0:8090 \
    PAPERGAO_DIR=/data \
    DOTNET_BUNDLE_EXTRACT_BASE_DIR=/tmp \
    DOTNET_TC_CallCountingDelayMs=10 \
    DOTNET_TC_DelaySingleProcMultiplier=1
USER $APP_UID
WORKDIR /data
VOLUME ["/data"]
EXPOSE 8090
# `papergao health` asks the configured address for /api/health (the image has no curl).
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 CMD ["/app/papergao", "health"]
# docker stop sends SIGTERM: PaperGao stops accepting, finishes running requests (up to 30 s) and exits.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/app/papergao"]
CMD ["serve"]
