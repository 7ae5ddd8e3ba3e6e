"""Settings, read once from the environment (prefix `CREDITGRAPH_`) and passed down as values."""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from pathlib import Path

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from domain.calendar import DateWindow
from reports.certificates import ReportCertificateFiles


class Environment(StrEnum):
    DEVELOPMENT = "development"
    PRODUCTION = "production"


class Settings(BaseSettings):
    """Every setting the service reads; the README lists them with their defaults."""

    model_config = SettingsConfigDict(env_prefix="CREDITGRAPH_", extra="ignore")

    mongodb_uri: str | None = Field(
        default=None, description="MongoDB URI; unset starts the embedded nx-27017 store"
    )
    database: str = Field(default="creditgraph", pattern=r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")
    data_dir: Path = Path("var")
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    env: Environment = Environment.DEVELOPMENT
    graphiql: bool = False
    introspection: bool | None = Field(
        default=None, description="schema introspection; unset means on outside production"
    )
    metrics_token: SecretStr | None = Field(
        default=None, description="bearer token /metrics requires; unset leaves it open"
    )
    # OpenTelemetry's own variables (not prefixed): tracing is on when an exporter is named.
    otel_traces_exporter: str | None = Field(default=None, validation_alias="OTEL_TRACES_EXPORTER")
    otel_exporter_otlp_endpoint: str | None = Field(
        default=None, validation_alias="OTEL_EXPORTER_OTLP_ENDPOINT"
    )
    cors_origins: list[str] = Field(
        default_factory=list, description="origins whose pages may call the API (JSON list)"
    )
    cors_allow_credentials: bool = False
    trusted_documents: Path | None = Field(
        default=None, description="JSON file of the only documents the API runs (by SHA-256)"
    )
    store_timeout_ms: int = Field(default=5000, ge=100, le=120_000)
    store_read_timeout_ms: int = Field(
        default=30_000, ge=100, le=600_000, description="Longest wait of a request for one answer"
    )
    epidemic_start: date = date(2020, 1, 24)
    epidemic_end: date = date(2020, 12, 31)
    max_query_depth: int = Field(default=10, ge=2, le=50)
    max_aliases: int = Field(default=15, ge=1, le=200)
    max_query_tokens: int = Field(default=2000, ge=100, le=100_000)
    max_query_cost: int = Field(
        default=20_000, ge=100, le=10_000_000, description="Estimated cost a request may have"
    )
    # A batch of 1,000 records with their data items runs to a few megabytes.
    max_request_bytes: int = Field(default=4_000_000, ge=1_000, le=20_000_000)
    max_json_depth: int = Field(default=32, ge=4, le=200, description="Nesting of a JSON body")
    # Scans and photos of a receipt or certificate; the request around one must fit too.
    evidence_max_bytes: int = Field(
        default=2_000_000, ge=1_000, le=15_000_000, description="Largest repair evidence file"
    )
    # The embedded store answers one command at a time: more requests in it only lengthen
    # everyone's wait (concurrency × a request's store time stays well under a second).
    store_concurrency: int = Field(
        default=2, ge=1, le=1000, description="Requests of one worker using the store at once"
    )
    store_queue_wait_ms: int = Field(
        default=300, ge=0, le=60_000, description="Longest wait for the store, then 503"
    )
    store_queue_limit: int = Field(
        default=200, ge=0, le=100_000, description="Requests of one worker waiting at most"
    )
    retry_after_seconds: int = Field(default=1, ge=1, le=3600)
    catalogue_poll_seconds: int = Field(
        default=10,
        ge=1,
        le=3600,
        description="How often a worker looks for new catalogue and programmes versions",
    )
    settle_seconds: int = Field(
        default=60,
        ge=1,
        le=3600,
        description="How often a worker finishes writes that a store failure cut short",
    )
    creations_per_minute: int = Field(
        default=60, ge=1, le=100_000, description="Creating mutations per token and per subject"
    )
    rejected_identifiers_per_hour: int = Field(
        default=1000, ge=1, le=1_000_000, description="Rejected submissions per token and hour"
    )
    jwt_issuer: str = "creditgraph"
    jwt_audience: str = "creditgraph"
    jwks_path: Path | None = Field(
        default=None, description="JWKS file or directory; unset means DATA_DIR/keys"
    )
    jwt_hs256_secret: SecretStr | None = None
    jwt_leeway_seconds: int = Field(default=30, ge=0, le=300)
    jwt_max_lifetimes: dict[str, int] = Field(default_factory=dict)
    region_code: str = Field(
        default="440300", pattern=r"^[0-9]{6}$", description="Starts every report serial"
    )
    report_font: Path | None = Field(
        default=None,
        description="CJK TrueType font for reports; unset uses the shipped WenQuanYi Micro Hei",
    )
    report_signing_key: Path | None = Field(
        default=None, description="unset means DATA_DIR/keys/report-signing.key"
    )
    report_signing_cert: Path | None = Field(
        default=None, description="unset means DATA_DIR/keys/report-signing.pem"
    )
    report_ca: Path | None = Field(
        default=None, description="unset means DATA_DIR/keys/report-ca.pem"
    )
    public_base_url: str | None = Field(
        default=None,
        pattern=r"^https?://[^\s/?#]+(/[^\s?#]*)?$",
        description="Where the public reaches the service: reports' QR codes point under it; "
        "unset means http://HOST:PORT",
    )
    tsa_url: str | None = Field(
        default=None,
        pattern=r"^https?://\S+$",
        description="RFC 3161 time-stamping authority: reports are signed PAdES B-T; unset B-B",
    )

    @model_validator(mode="after")
    def _consistent(self) -> Settings:
        DateWindow(start=self.epidemic_start, end=self.epidemic_end)
        if self.cors_allow_credentials and "*" in self.cors_origins:
            # Fetch standard: a credentialed response may not allow every origin.
            raise ValueError("cors_allow_credentials cannot go with cors_origins ['*']")
        for origin in self.cors_origins:
            if origin != "*" and ORIGIN.fullmatch(origin) is None:
                raise ValueError(
                    f"cors_origins: {origin!r} is not an origin (scheme://host[:port])"
                )
        if self.evidence_max_bytes >= self.max_request_bytes:
            raise ValueError(
                "evidence_max_bytes must be below max_request_bytes: the upload request "
                "carries the file and more"
            )
        secret = self.jwt_hs256_secret
        if secret is not None and self.production and secret.get_secret_value() in PLACEHOLDERS:
            raise ValueError("jwt_hs256_secret is a placeholder; set a real secret in production")
        return self

    @property
    def keys_dir(self) -> Path:
        return self.data_dir / "keys"

    @property
    def report_certificates(self) -> ReportCertificateFiles:
        default = ReportCertificateFiles.under(self.keys_dir)
        return ReportCertificateFiles(
            ca=self.report_ca or default.ca,
            key=self.report_signing_key or default.key,
            cert=self.report_signing_cert or default.cert,
        )

    @property
    def base_url(self) -> str:
        return (self.public_base_url or f"http://{self.host}:{self.port}").rstrip("/")

    @property
    def verification_keys_path(self) -> Path:
        return self.jwks_path if self.jwks_path is not None else self.keys_dir

    @property
    def epidemic_window(self) -> DateWindow:
        return DateWindow(start=self.epidemic_start, end=self.epidemic_end)

    @property
    def tracing(self) -> str | None:
        """The span exporter asked for (`otlp` or `console`), or None when tracing is off."""
        if self.otel_traces_exporter == "none":
            return None
        if self.otel_traces_exporter is not None:
            return self.otel_traces_exporter
        return "otlp" if self.otel_exporter_otlp_endpoint else None

    @property
    def introspection_on(self) -> bool:
        return self.introspection if self.introspection is not None else not self.production

    @property
    def production(self) -> bool:
        return self.env is Environment.PRODUCTION


ORIGIN = re.compile(r"https?://[A-Za-z0-9.\-]+(:[0-9]{1,5})?")
PLACEHOLDERS = frozenset({"changeme", "change-me", "secret", "development", "dev-secret"})
