"""The typed per-request context: store, viewer, day, catalogue versions and DataLoaders."""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import TypeVar

from starlette.requests import Request
from strawberry.dataloader import DataLoader

from auth.masking import Gate
from auth.viewer import Viewer
from domain.blacklist import BlacklistEntry
from domain.calendar import DateWindow
from domain.catalogue import CatalogueVersions
from domain.commitments import Commitment
from domain.evidence import EvidenceFile
from domain.grants import AuthorizationGrant
from domain.records import Record
from domain.subjects import Subject
from reports.issuer import ReportIssuer
from resolvers.audit import AuditTrail
from store import blacklist as blacklist_store
from store import commitments as commitment_store
from store import evidence as evidence_store
from store import grants as grant_store
from store import records as record_store
from store import subjects as subject_store
from store.catalogue import PublishedCatalogues
from store.database import Database
from store.programmes import PublishedProgrammes
from store.records import RecordFilter

G = TypeVar("G")


@dataclass(frozen=True)
class SubjectSlice:
    """One subject's share of a nested `Subject.records` list: its filter and page size."""

    subject_id: str
    spec: RecordFilter
    limit: int


@dataclass
class Loaders:
    """Batch readers: one store round trip per kind of key, whatever the result size."""

    db: Database
    now: datetime
    grantee_org: str | None = None
    subjects: DataLoader[str, Subject | None] = field(init=False)
    records: DataLoader[str, Record | None] = field(init=False)
    subject_records: DataLoader[SubjectSlice, list[Record]] = field(init=False)
    subject_record_counts: DataLoader[tuple[str, RecordFilter], int] = field(init=False)
    subjects_shown: DataLoader[tuple[str, RecordFilter], bool] = field(init=False)
    grants: DataLoader[str, list[AuthorizationGrant]] = field(init=False)
    blacklist_entries: DataLoader[str, list[BlacklistEntry]] = field(init=False)
    commitments: DataLoader[str, list[Commitment]] = field(init=False)
    evidence_files: DataLoader[str, list[EvidenceFile]] = field(init=False)

    def __post_init__(self) -> None:
        self.subjects = DataLoader(self._load_subjects)
        self.records = DataLoader(self._load_records)
        self.subject_records = DataLoader(self._load_subject_records)
        self.subject_record_counts = DataLoader(self._load_subject_record_counts)
        self.subjects_shown = DataLoader(self._load_subjects_shown)
        self.grants = DataLoader(self._load_grants)
        self.blacklist_entries = DataLoader(self._load_blacklist_entries)
        self.commitments = DataLoader(self._load_commitments)
        self.evidence_files = DataLoader(self._load_evidence_files)

    async def _load_subjects(self, ids: list[str]) -> list[Subject | None]:
        return await subject_store.get_subjects(self.db, ids=ids)

    async def _load_records(self, ids: list[str]) -> list[Record | None]:
        return await record_store.get_records(self.db, ids=ids)

    async def _load_blacklist_entries(self, subject_ids: list[str]) -> list[list[BlacklistEntry]]:
        return await blacklist_store.entries_of_subjects(self.db, subject_ids=subject_ids)

    async def _load_commitments(self, subject_ids: list[str]) -> list[list[Commitment]]:
        return await commitment_store.commitments_of_subjects(self.db, subject_ids=subject_ids)

    async def _load_evidence_files(self, application_ids: list[str]) -> list[list[EvidenceFile]]:
        return await evidence_store.files_of_applications(self.db, application_ids=application_ids)

    async def _load_subject_records(self, keys: list[SubjectSlice]) -> list[list[Record]]:
        found: dict[SubjectSlice, list[Record]] = {}
        for (spec, limit), subject_ids in _by_spec(
            (k.subject_id, (k.spec, k.limit)) for k in keys
        ).items():
            counts = await record_store.count_records_of_subjects(
                self.db, subject_ids=subject_ids, spec=spec
            )
            for subject_id, count in zip(subject_ids, counts, strict=True):
                self.subject_record_counts.prime((subject_id, spec), count)
            pages = await record_store.find_records_of_subjects(
                self.db, subject_ids=subject_ids, spec=spec, limit_each=limit, counts=counts
            )
            found.update(
                zip((SubjectSlice(s, spec, limit) for s in subject_ids), pages, strict=True)
            )
        return [found[k] for k in keys]

    async def _load_subject_record_counts(self, keys: list[tuple[str, RecordFilter]]) -> list[int]:
        found: dict[tuple[str, RecordFilter], int] = {}
        for spec, subject_ids in _by_spec(keys).items():
            counts = await record_store.count_records_of_subjects(
                self.db, subject_ids=subject_ids, spec=spec
            )
            found.update(zip(((s, spec) for s in subject_ids), counts, strict=True))
        return [found[k] for k in keys]

    async def _load_subjects_shown(self, keys: list[tuple[str, RecordFilter]]) -> list[bool]:
        return [count > 0 for count in await self.subject_record_counts.load_many(keys)]

    def shown(self, record: Record, spec: RecordFilter) -> None:
        """Note that `record`, which `spec` admits, was read: its subject has a record `spec`
        selects, with no count to ask the store for (a records page meets its subjects so)."""
        self.subjects_shown.prime((record.subject_id, spec), True)

    async def _load_grants(self, subject_ids: list[str]) -> list[list[AuthorizationGrant]]:
        if self.grantee_org is None:
            return [[] for _ in subject_ids]
        return await grant_store.live_grants(
            self.db, grantee_org=self.grantee_org, subject_ids=subject_ids, now=self.now
        )


def forget(loader: DataLoader[str, G], key: str) -> None:
    """Drop what a loader holds for `key` after a write changed it (a no-op if it holds none)."""
    with suppress(KeyError):
        loader.clear(key)


def _by_spec(pairs: Iterable[tuple[str, G]]) -> dict[G, list[str]]:
    """Subject ids grouped by the spec they are asked under, for one query per spec."""
    groups: dict[G, list[str]] = {}
    for subject_id, spec in pairs:
        groups.setdefault(spec, []).append(subject_id)
    return groups


@dataclass
class Context:
    request: Request
    db: Database
    viewer: Viewer
    now: datetime
    today: date
    catalogues: CatalogueVersions
    loaders: Loaders
    epidemic_window: DateWindow
    # The programmes and grading rule in their published versions (store/programmes.py).
    programmes: PublishedProgrammes
    purpose: str | None = None
    request_id: str | None = None
    audit: AuditTrail = field(default_factory=AuditTrail)
    reports: ReportIssuer | None = None
    # Issue 8.9: submissions are no oracle; a token's rejected identifiers per hour are capped.
    rejected_identifiers_per_hour: int = 1000
    # The largest evidence file a subject may attach to a repair application, in bytes.
    evidence_max_bytes: int = 2_000_000
    # What `catalogues` was taken from, reloaded when a version is published.
    published: PublishedCatalogues | None = None

    @cached_property
    def gate(self) -> Gate:
        """The access decisions for this request's viewer on its day (auth.masking); one a
        request, as its viewer and day are."""
        return Gate(self.viewer, self.today)
