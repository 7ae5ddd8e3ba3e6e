"""Schema tests: the GraphQL `RecordFilter` input reaches the store's `RecordFilter` whole."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

import strawberry

from domain.catalogue import Category
from domain.records import RecordStatus
from schema.records import RecordFilter, record_spec
from store import records as record_store

# A value for each input field, none of them the field's default.
SAMPLES: dict[str, Any] = {
    "subject_id": strawberry.ID("s-1"),
    "category": Category.DISHONEST,
    "item_code": "DISHONEST_1",
    "status": RecordStatus.REVOKED,
    "decided_from": date(2020, 3, 1),
    "decided_to": date(2020, 6, 30),
}


def test_record_filter_sample_covers_every_input_field() -> None:
    assert {f.name for f in dataclasses.fields(RecordFilter)} == set(SAMPLES)


def test_record_filter_each_field_reaches_the_store_filter_alone() -> None:
    store_fields = {f.name for f in dataclasses.fields(record_store.RecordFilter)}
    for name, value in SAMPLES.items():
        spec = record_spec(RecordFilter(**{name: value}))

        assert name in store_fields, f"the store's RecordFilter has no field {name}"
        assert spec == record_store.RecordFilter(**{name: value}), name


def test_record_filter_all_fields_reach_the_store_filter_together() -> None:
    assert record_spec(RecordFilter(**SAMPLES)) == record_store.RecordFilter(**SAMPLES)


def test_record_filter_omitted_is_the_store_filter_of_all_records() -> None:
    assert record_spec(None) == record_store.RecordFilter()
