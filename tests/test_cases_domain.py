"""Domain tests: a typical case shows only its linked records on public display (二(五))."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.cases import CaseKind, TypicalCase, shown_records, withdrawn
from domain.catalogue import Catalogue
from domain.records import Record, RecordStatus, publicly_visible
from tests import factories

TODAY = date(2020, 9, 1)
FIRM = factories.firm()


def case_of(records: list[Record]) -> TypicalCase:
    return TypicalCase(
        id="c-1",
        kind=CaseKind.BAD,
        title="案例",
        summary="摘要",
        subject_id=FIRM.id,
        record_ids=tuple(r.id for r in records),
        published_at=datetime(2020, 9, 1, tzinfo=UTC),
        published_by="centre",
    )


linked_records = st.lists(
    st.tuples(
        st.sampled_from(list(RecordStatus)),
        st.booleans(),
        st.integers(min_value=0, max_value=420),
        st.integers(min_value=-400, max_value=400),
    ),
    max_size=4,
)


@settings(max_examples=100, deadline=None)
@given(linked=linked_records)
def test_case_shows_exactly_its_records_on_display(
    catalogue: Catalogue, linked: list[tuple[RecordStatus, bool, int, int]]
) -> None:
    records = [
        factories.record(
            catalogue, FIRM, item_code="DISHONEST_4", decided=TODAY - timedelta(days=age)
        ).model_copy(update={"status": status, "hidden": hidden})
        for status, hidden, age, _ in linked
    ]
    case = case_of(records)
    day = TODAY + timedelta(days=linked[0][3]) if linked else TODAY

    shown = shown_records(case, [*records, None], day)

    assert shown == [r for r in records if publicly_visible(r, day)]
    assert withdrawn(case, shown) == (bool(records) and not shown)


def test_case_without_records_is_never_withdrawn() -> None:
    assert not withdrawn(case_of([]), [])
