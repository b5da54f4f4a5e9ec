# syntax=docker/dockerfile:1
# lurescan: a static binary with the default model embedded, on a
# distroless non-root image. Build: docker build -t lurescan .
# Run:   docker run -p 8080:8080 lurescan
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# CI (.ci/run) runs this exact command.
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/lurescan ./cmd/lurescan

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/lurescan /usr/local/bin/lurescan
USER nonroot:nonroot
ENV LURESCAN_ADDR=:8080
EXPOSE 8080
# No shell in the image: the binary checks itself.
HEALTHCHECK --interval=15s --timeout=3s --start-period=5s --retries=3 CMD ["/usr/local/bin/lurescan", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/lurescan"]
CMD ["serve"]
