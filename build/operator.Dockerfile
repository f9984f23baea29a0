# syntax=docker/dockerfile:1.7
# The operator image. Build from the repository root:
#   docker build -f build/operator.Dockerfile -t ghcr.io/elasticyarn/operator:v0.1.0 .
ARG GO_VERSION=1.26
ARG BASE_IMAGE=gcr.io/distroless/static-debian12:nonroot

FROM --platform=$BUILDPLATFORM golang:${GO_VERSION} AS build
WORKDIR /src
# Modules first, so a source change does not download them again.
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
ARG TARGETOS=linux
ARG TARGETARCH=amd64
# -tags timetzdata embeds the time zone database: schedule windows name IANA zones
# (spec.schedule.timeZone), and the binary must resolve them whatever the base image holds.
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH \
    go build -trimpath -tags timetzdata -ldflags="-s -w" -o /out/operator ./cmd/operator

# Static binary on distroless: no shell, no package manager, user 65532 (nonroot). The chart
# runs it with runAsNonRoot, a read-only root filesystem and every capability dropped.
FROM ${BASE_IMAGE}
COPY --from=build /out/operator /operator
USER 65532:65532
EXPOSE 8080 8081
ENTRYPOINT ["/operator"]
