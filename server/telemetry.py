"""What each request leaves for operators: one JSON log line and Prometheus metrics.

The log line says who asked what and how it went (time, request id, method, path, status,
duration, GraphQL operation name and type, error codes, store round trips, viewer role and
org) and never the token, the query's variables or any personal data. Metric labels come from
bounded sets, so no client can grow their cardinality.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram
from starlette.middleware import Middleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from store.monitoring import tally_commands

log = logging.getLogger("creditgraph.access")

# Paths outside this set are counted as "other".
KNOWN_PATHS = frozenset({"/graphql", "/healthz", "/readyz", "/metrics", "/graphql/assets"})
# The first operation names seen get their own label; later ones are "other".
MAX_OPERATION_NAMES = 200


class Telemetry:
    """The metrics of one app, and the bounded label sets they use."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.requests = Counter(
            "creditgraph_http_requests", "HTTP requests", ["path", "status"], registry=registry
        )
        self.latency = Histogram(
            "creditgraph_http_request_seconds", "HTTP request latency", ["path"], registry=registry
        )
        self.operations = Counter(
            "creditgraph_graphql_operations",
            "GraphQL operations by name, type and outcome",
            ["operation", "type", "outcome"],
            registry=registry,
        )
        self.operation_latency = Histogram(
            "creditgraph_graphql_operation_seconds",
            "GraphQL operation latency",
            ["operation", "type"],
            registry=registry,
        )
        self.errors = Counter(
            "creditgraph_graphql_errors", "GraphQL errors by code", ["code"], registry=registry
        )
        self.store_commands = Counter(
            "creditgraph_store_commands",
            "Store commands by name and outcome",
            ["command", "outcome"],
            registry=registry,
        )
        self.store_latency = Histogram(
            "creditgraph_store_command_seconds",
            "Store command latency",
            ["command"],
            registry=registry,
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
        )
        self.operation_names: set[str] = set()

    def observe_store(self, command: str, seconds: float, succeeded: bool) -> None:
        # Command names are the driver's own (find, insert, aggregate ...): a small set.
        self.store_commands.labels(command, "ok" if succeeded else "failed").inc()
        self.store_latency.labels(command).observe(seconds)

    def operation_label(self, name: str | None) -> str:
        if name is None:
            return "anonymous"
        if name in self.operation_names:
            return name
        if len(self.operation_names) < MAX_OPERATION_NAMES and name.isidentifier():
            self.operation_names.add(name)
            return name
        return "other"


class RequestTelemetry:
    """Times each request, tallies its store commands, then logs one line and counts it."""

    def __init__(self, app: ASGIApp, *, telemetry: Telemetry) -> None:
        self.app = app
        self.telemetry = telemetry

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 500
        started = time.perf_counter()

        async def observed(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        with tally_commands() as tally:
            try:
                await self.app(scope, receive, observed)
            finally:
                seconds = time.perf_counter() - started
                self._record(scope, status, seconds, tally.commands, tally.seconds)

    def _record(
        self, scope: Scope, status: int, seconds: float, commands: int, store_seconds: float
    ) -> None:
        state: dict[str, Any] = scope.get("state", {})
        path = scope["path"]
        label = path if path in KNOWN_PATHS else "other"
        if path.startswith("/graphql/assets/"):
            label = "/graphql/assets"
        self.telemetry.requests.labels(label, str(status)).inc()
        self.telemetry.latency.labels(label).observe(seconds)
        line: dict[str, Any] = {
            "request_id": state.get("request_id"),
            "method": scope["method"],
            "path": label,
            "status": status,
            "duration_ms": round(seconds * 1000, 1),
            "store_commands": commands,
            "store_ms": round(store_seconds * 1000, 1),
        }
        viewer = state.get("viewer")
        if viewer is not None:
            line["role"] = viewer.role or ("anonymous" if viewer.sub is None else "unknown")
            if viewer.org is not None:
                line["org"] = viewer.org
        operation = state.get("graphql_operation")
        codes: list[str] = state.get("graphql_errors", [])
        if operation is not None:
            name, kind = operation
            line["operation"] = name or "anonymous"
            line["operation_type"] = kind
            operation_label = self.telemetry.operation_label(name)
            self.telemetry.operations.labels(
                operation_label, kind or "unknown", "error" if codes else "ok"
            ).inc()
            self.telemetry.operation_latency.labels(operation_label, kind or "unknown").observe(
                seconds
            )
        for code in codes:
            self.telemetry.errors.labels(code).inc()
        if codes:
            line["error_codes"] = sorted(set(codes))
        log.info("request", extra={"fields": line})


@dataclass(frozen=True)
class Tracing:
    """OpenTelemetry's ASGI middleware and the hooks that flush its spans."""

    middleware: Middleware
    flush: Callable[[], bool]
    shutdown: Callable[[], None]


def tracing(exporter_name: str, exporter: Any = None) -> Tracing:
    """OpenTelemetry's ASGI middleware exporting each request's span (optional group `otel`).

    The SDK reads its standard variables itself (OTEL_SERVICE_NAME, OTEL_EXPORTER_OTLP_*).
    """
    try:
        from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware
        from opentelemetry.sdk.resources import Resource
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter
    except ImportError:
        raise TracingUnavailable(
            "tracing is asked for but OpenTelemetry is not installed: "
            ".tools/uv/bin/uv sync --locked --extra otel"
        ) from None
    if exporter is None and exporter_name == "console":
        exporter = ConsoleSpanExporter()
    elif exporter is None and exporter_name == "otlp":
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        exporter = OTLPSpanExporter()
    elif exporter is None:
        raise TracingUnavailable(f"OTEL_TRACES_EXPORTER={exporter_name!r}: use otlp or console")
    provider = TracerProvider(resource=Resource.create({"service.name": "creditgraph"}))
    provider.add_span_processor(BatchSpanProcessor(exporter))
    return Tracing(
        Middleware(OpenTelemetryMiddleware, tracer_provider=provider),
        flush=provider.force_flush,
        shutdown=provider.shutdown,
    )


class TracingUnavailable(Exception):
    """Tracing was asked for by the environment but cannot be set up."""
