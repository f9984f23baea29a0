# syntax=docker/dockerfile:1.7
# The ResourceManager emulator (demo and tests only; not part of a production install). Build
# from the repository root:
#   docker build -f build/rm-emulator.Dockerfile -t ghcr.io/elasticyarn/rm-emulator:v0.1.0 .
# Run it listening on all interfaces: --listen=0.0.0.0:8088 (the default is loopback only).
ARG GO_VERSION=1.26
ARG BASE_IMAGE=gcr.io/distroless/static-debian12:nonroot

FROM --platform=$BUILDPLATFORM golang:${GO_VERSION} AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
ARG TARGETOS=linux
ARG TARGETARCH=amd64
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH \
    go build -trimpath -ldflags="-s -w" -o /out/rm-emulator ./cmd/rm-emulator

FROM ${BASE_IMAGE}
COPY --from=build /out/rm-emulator /rm-emulator
USER 65532:65532
EXPOSE 8088
ENTRYPOINT ["/rm-emulator"]
CMD ["--listen=0.0.0.0:8088"]
