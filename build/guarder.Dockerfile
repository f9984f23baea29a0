# syntax=docker/dockerfile:1.7
# The guarder sidecar image. Build from the repository root:
#   docker build -f build/guarder.Dockerfile -t ghcr.io/elasticyarn/guarder:v0.1.0 .
#
# Which user, and why. The guarder runs next to the NodeManager in the same pod, with
# shareProcessNamespace: true so it sees the NodeManager's process tree in /proc. With the
# LinuxContainerExecutor, YARN containers run as the users who submitted the jobs, so the
# guarder acts on processes of other UIDs:
#   - reading /proc/<pid>/environ (CONTAINER_ID=...) and /proc/<pid>/cwd of another user's
#     process passes the kernel's ptrace access check only with CAP_SYS_PTRACE
#     (/proc/<pid>/cgroup, stat and status are world-readable);
#   - kill(2) to another user's process (SIGPWR, SIGTERM, SIGKILL) needs CAP_KILL.
# Kubernetes grants added capabilities to the effective set of UID 0 only: for a non-root UID
# they stay in the bounding set unless the binary carries file capabilities, which in turn
# need allowPrivilegeEscalation: true. So the image runs as UID 0 and the pod's
# securityContext (written by the operator) takes everything else away:
#   runAsUser: 0, runAsNonRoot: false, allowPrivilegeEscalation: false,
#   readOnlyRootFilesystem: true, capabilities: {drop: [ALL], add: [KILL]}, and SYS_PTRACE
#   added only with spec.guarder.containerIdentification: ProcessInspection (containers without
#   cgroups of their own; docs/operations.md says what SYS_PTRACE exposes),
#   seccompProfile: RuntimeDefault (pod and container level).
# Root without CAP_DAC_OVERRIDE, CAP_CHOWN, CAP_SETUID and the rest cannot read or write other
# users' files, change owners or become another user; it can only look at and signal processes.
# Where YARN runs every container as the NodeManager's own user (DefaultContainerExecutor),
# the guarder could run as that UID with every capability dropped; the operator does not
# offer that choice yet.
ARG GO_VERSION=1.26
ARG BASE_IMAGE=gcr.io/distroless/static-debian12:latest

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
    go build -trimpath -ldflags="-s -w" -o /out/guarder ./cmd/guarder

# distroless static (the root variant): no shell, no package manager, nothing to exec into.
FROM ${BASE_IMAGE}
COPY --from=build /out/guarder /guarder
USER 0:0
EXPOSE 9810
ENTRYPOINT ["/guarder"]
CMD ["--listen-address=:9810"]
