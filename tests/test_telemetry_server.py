"""What a request leaves for operators: one JSON log line, per-operation and store metrics."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator

import httpx
import pytest
from asgi_lifespan import LifespanManager
from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from prometheus_client import CollectorRegistry
from pydantic import SecretStr
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from server.app import create_app
from server.logging import JsonFormatter
from server.settings import Settings
from server.telemetry import (
    MAX_OPERATION_NAMES,
    Telemetry,
    TracingUnavailable,
    tracing,
)
from tests.conftest import TODAY, TokenFactory, at

NAMED = "query PortalCatalogue { catalogue { version } }"
SEARCH = "query Find($s: String!) { subjects(search: $s, first: 1) { edges { node { id } } } }"


def access_lines(caplog: pytest.LogCaptureFixture) -> list[dict[str, object]]:
    formatter = JsonFormatter()
    return [
        json.loads(formatter.format(r)) for r in caplog.records if r.name == "creditgraph.access"
    ]


async def test_each_request_logs_one_line_with_operation_and_viewer(
    api: httpx.AsyncClient, token: TokenFactory, caplog: pytest.LogCaptureFixture
) -> None:
    bearer = token("bank", org="BANK-001")
    caplog.set_level(logging.INFO, logger="creditgraph.access")

    await api.post(
        "/graphql",
        json={"query": NAMED},
        headers={"authorization": f"Bearer {bearer}", "x-request-id": "req-42"},
    )

    [line] = access_lines(caplog)
    assert line["request_id"] == "req-42"
    assert line["method"] == "POST"
    assert line["path"] == "/graphql"
    assert line["status"] == 200
    assert line["operation"] == "PortalCatalogue"
    assert line["operation_type"] == "query"
    assert line["role"] == "bank"
    assert line["org"] == "BANK-001"
    assert isinstance(line["duration_ms"], float)
    assert isinstance(line["store_commands"], int)
    assert bearer not in json.dumps(line)


async def test_log_line_never_carries_variables(
    api: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="creditgraph.access")

    await api.post("/graphql", json={"query": SEARCH, "variables": {"s": "张三丰"}})

    [line] = access_lines(caplog)
    assert "张三丰" not in json.dumps(line, ensure_ascii=False)
    assert line["operation"] == "Find"


async def test_metrics_count_operations_errors_and_store_commands(api: httpx.AsyncClient) -> None:
    await api.post("/graphql", json={"query": NAMED})
    await api.post("/graphql", json={"query": "{ catalogue { nothingHere } }"})

    text = (await api.get("/metrics")).text

    operations = 'creditgraph_graphql_operations_total{operation="PortalCatalogue",outcome="ok"'
    assert operations + ',type="query"} 1.0' in text
    assert 'creditgraph_graphql_errors_total{code="GRAPHQL_VALIDATION_FAILED"} 1.0' in text
    assert "creditgraph_store_commands_total{" in text
    assert 'creditgraph_graphql_operation_seconds_count{operation="PortalCatalogue"' in text


def test_operation_labels_are_bounded() -> None:
    telemetry = Telemetry(CollectorRegistry())

    labels = [telemetry.operation_label(f"Op{i}") for i in range(MAX_OPERATION_NAMES + 10)]

    assert len(set(labels)) == MAX_OPERATION_NAMES + 1
    assert labels[-1] == "other"
    assert telemetry.operation_label("Op0") == "Op0"
    assert telemetry.operation_label("not a name!") == "other"
    assert telemetry.operation_label(None) == "anonymous"


@pytest.fixture
async def guarded_metrics(settings: Settings, store_uri: str) -> AsyncIterator[httpx.AsyncClient]:
    guarded = settings.model_copy(update={"metrics_token": SecretStr("m" * 32)})
    app = create_app(guarded, mongodb_uri=store_uri, clock=lambda: at(TODAY))
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            yield http


async def test_metrics_behind_a_token_refuse_without_it(
    guarded_metrics: httpx.AsyncClient,
) -> None:
    missing = await guarded_metrics.get("/metrics")
    wrong = await guarded_metrics.get("/metrics", headers={"authorization": "Bearer nope"})
    right = await guarded_metrics.get("/metrics", headers={"authorization": "Bearer " + "m" * 32})

    assert missing.status_code == 401
    assert missing.json()["errors"][0]["extensions"]["code"] == "METRICS_TOKEN_REQUIRED"
    assert wrong.status_code == 401
    assert right.status_code == 200
    assert "creditgraph_http_requests_total" in right.text


async def ok(request: Request) -> PlainTextResponse:
    return PlainTextResponse("ok")


async def test_tracing_exports_a_span_per_request() -> None:
    exporter = InMemorySpanExporter()
    traced = tracing("memory", exporter)
    app = Starlette(routes=[Route("/graphql", ok)], middleware=[traced.middleware])

    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://test"
    ) as http:
        await http.get("/graphql")
    traced.flush()

    assert any(span.name.startswith("GET") for span in exporter.get_finished_spans())


@pytest.mark.parametrize(
    ("variable", "traced"), [(None, False), ("console", True), ("none", False)]
)
def test_tracing_is_on_only_when_opentelemetry_variables_ask(
    settings: Settings, store_uri: str, variable: str | None, traced: bool
) -> None:
    asked = settings.model_copy(update={"otel_traces_exporter": variable})

    app = create_app(asked, mongodb_uri=store_uri)

    outermost: object = app.user_middleware[0].cls
    assert (outermost == OpenTelemetryMiddleware) is traced


def test_tracing_with_an_unknown_exporter_is_refused() -> None:
    with pytest.raises(TracingUnavailable, match="zipkin"):
        tracing("zipkin")
