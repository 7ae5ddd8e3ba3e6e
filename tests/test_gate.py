"""The access gate (auth/masking.py): one visibility rule, as a predicate and as a store query.

One table: records in every status and flag × viewers at every level × days on both sides of
each disclosure boundary. For each cell the store, given `RecordFilter.of_scope(scope)`,
returns exactly the records `scope.admits` admits.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from auth.masking import Gate
from auth.viewer import Scope, Viewer
from domain.catalogue import Catalogue
from domain.identifiers import SubjectKind
from domain.masking import PublicAttribute
from domain.records import Record, RecordStatus
from store.database import Database
from store.records import RecordFilter, count_records, find_records
from tests import factories
from tests.seed import seed_records

PERSON = factories.person(7301)
DECIDED = date(2020, 3, 1)
EVERYTHING = 100

VIEWERS = {
    "anonymous": Viewer.anonymous(),
    "own": Viewer(sub="u1", scopes=frozenset({Scope.SUBJECT_SELF}), subject_id=PERSON.id),
    "other subject": Viewer(sub="u2", scopes=frozenset({Scope.SUBJECT_SELF}), subject_id="s-x"),
    "bank": Viewer(sub="u3", scopes=frozenset({Scope.FINANCING_READ}), org="91440300BANK"),
    "government": Viewer(sub="u4", scopes=frozenset({Scope.RECORDS_READ})),
    "credit centre": Viewer(
        sub="u5", scopes=frozenset({Scope.RECORDS_READ, Scope.RESTRICTED_READ})
    ),
}


def table(catalogue: Catalogue) -> list[Record]:
    """One record per status and flag, all decided on `DECIDED` (general: shown one year)."""

    def make(record_id: str, **changes: object) -> Record:
        record = factories.record(
            catalogue, PERSON, item_code="DISHONEST_2", decided=DECIDED, record_id=record_id
        )
        return record.model_copy(update=changes)

    return [
        make("g-active"),
        make("g-hidden", hidden=True),
        make("g-refused", opted_out=True),
        make("g-hidden-refused", hidden=True, opted_out=True),
        *(
            make(f"g-{s.value.lower()}", status=s)
            for s in RecordStatus
            if s is not RecordStatus.ACTIVE
        ),
    ]


def days(records: list[Record]) -> list[date]:
    """Each side of every start and end, and a day well inside."""
    found = {DECIDED + timedelta(days=90)}
    for record in records:
        for edge in (record.disclosure.start, record.disclosure.end):
            found |= {edge - timedelta(days=1), edge, edge + timedelta(days=1)}
    return sorted(found)


async def stored(db: Database, spec: RecordFilter) -> list[str]:
    found = await find_records(db, spec=spec, limit=EVERYTHING)
    assert await count_records(db, spec=spec) == len(found)
    return sorted(r.id for r in found)


async def test_gate_store_filter_selects_exactly_what_the_rule_admits(
    db: Database, catalogue: Catalogue
) -> None:
    records = table(catalogue)
    await seed_records(db, records)

    for day in days(records):
        for name, viewer in VIEWERS.items():
            for subject_id in (PERSON.id, None):
                scope = Gate(viewer, day).record_scope(subject_id)
                expected = sorted(r.id for r in records if scope.admits(r))
                found = await stored(db, RecordFilter.of_scope(scope, subject_id=subject_id))
                assert found == expected, (day, name, subject_id)


@pytest.mark.parametrize(
    ("viewer", "expected"),
    [
        ("anonymous", ["g-active"]),
        ("other subject", ["g-active"]),
        ("bank", ["g-active"]),
        (
            "own",
            sorted(
                [
                    "g-active",
                    "g-cleared",
                    "g-hidden",
                    "g-refused",
                    "g-hidden-refused",
                    "g-repaired",
                    "g-revoked",
                    "g-excused",
                    "g-expired",
                ]
            ),
        ),  # fmt: skip
        (
            "government",
            sorted(
                [
                    "g-active",
                    "g-cleared",
                    "g-excused",
                    "g-expired",
                    "g-hidden",
                    "g-repaired",
                    "g-revoked",
                ]
            ),
        ),  # fmt: skip
    ],
)
def test_gate_shows_records_by_viewer_inside_the_period(
    catalogue: Catalogue, viewer: str, expected: list[str]
) -> None:
    gate = Gate(VIEWERS[viewer], DECIDED + timedelta(days=90))

    shown = sorted(r.id for r in table(catalogue) if gate.shows_record(r))

    assert shown == expected


def test_gate_meets_persons_below_authorized_only_on_display() -> None:
    gate = Gate(Viewer.anonymous(), DECIDED)

    assert gate.persons_only_on_display()
    assert not gate.meets(SubjectKind.NATURAL_PERSON, PublicAttribute.PUBLIC, on_display=False)
    assert gate.meets(SubjectKind.NATURAL_PERSON, PublicAttribute.PUBLIC, on_display=True)
    assert gate.meets(SubjectKind.NATURAL_PERSON, PublicAttribute.AUTHORIZED, on_display=False)
    assert gate.meets(SubjectKind.LEGAL_PERSON, PublicAttribute.PUBLIC, on_display=False)
    assert not Gate(VIEWERS["government"], DECIDED).persons_only_on_display()
