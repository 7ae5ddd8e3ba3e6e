"""Domain tests: an entry stands only on a serious basis on display, after any basis change."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from domain import blacklist as rules
from domain.blacklist import (
    CHANGE_WORDS,
    BlacklistEntry,
    EntryEvent,
    last_display_day,
    latest_until,
    supports,
)
from domain.catalogue import Catalogue
from domain.disclosure import Severity
from domain.records import ChangeKind, Record, RecordStatus, next_version
from tests import factories

LISTED = date(2020, 9, 1)
FIRM = factories.firm()
OTHER = factories.firm()


def record(catalogue: Catalogue, *, decided: date, severity: Severity) -> Record:
    return factories.record(
        catalogue, FIRM, item_code="DISHONEST_2", decided=decided, severity=severity
    )


def listing(basis: list[Record], until: date | None = None) -> BlacklistEntry:
    latest = latest_until(basis, subject_id=FIRM.id, today=LISTED)
    assert latest is not None, "the examples list on a serious basis on display"
    entry = factories.blacklist_entry(FIRM, basis, listed=LISTED, until=until or latest)
    line = rules.listed(basis=basis, subject_id=FIRM.id, until=entry.until, on=LISTED, by="c")
    return entry.model_copy(update={"history": (line,)})


def change(before: Record, kind: ChangeKind, day: date, **changes: object) -> Record:
    at = datetime.combine(day, time(4), tzinfo=UTC)
    changed = Record.model_validate(before.model_dump() | changes)
    return next_version(changed, kind=kind, at=at, by="440300-TEST")


@dataclass(frozen=True)
class Event:
    """One change to a basis record on a day, as the write paths make them."""

    name: str
    kind: ChangeKind
    changes: dict[str, object]


EVENTS = [
    Event("revoke", ChangeKind.REVOKED, {"status": RecordStatus.REVOKED}),
    Event("repair", ChangeKind.REPAIRED, {"status": RecordStatus.REPAIRED}),
    Event("excuse", ChangeKind.CORRECTED, {"status": RecordStatus.EXCUSED}),
    Event("objection removal", ChangeKind.HIDDEN, {"hidden": True}),
    Event("shown again", ChangeKind.SHOWN, {"hidden": False}),
    Event("made general", ChangeKind.CORRECTED, {"severity": Severity.GENERAL}),
    Event("made serious", ChangeKind.CORRECTED, {"severity": Severity.SERIOUS}),
    Event("other subject", ChangeKind.CORRECTED, {"subject_id": OTHER.id}),
    Event("objection filed", ChangeKind.OBJECTION_FILED, {}),
]


def stands_on_display(entry: BlacklistEntry, basis: list[Record], day: date) -> bool:
    return any(supports(r, subject_id=entry.subject_id, day=day) for r in basis)


def days_to_check(entry: BlacklistEntry, basis: list[Record], start: date) -> set[date]:
    """The days where an entry or a basis could change state, from `start` on."""
    edges = {start, entry.until, *(last_display_day(r) for r in basis)}
    return {
        d + timedelta(days=n) for d in edges for n in (-1, 0, 1) if d + timedelta(days=n) >= start
    }


basis_records = st.lists(
    st.tuples(st.integers(min_value=1, max_value=420), st.sampled_from(list(Severity))),
    min_size=0,
    max_size=3,
)
event_steps = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=3),
        st.sampled_from(EVENTS),
        st.integers(min_value=0, max_value=400),
        st.dates(min_value=date(2020, 9, 2), max_value=date(2024, 1, 1)),
    ),
    max_size=8,
)


@settings(max_examples=150, deadline=None)
@given(
    first_age=st.integers(min_value=1, max_value=420),
    others=basis_records,
    steps=event_steps,
)
def test_entry_stands_only_on_a_serious_basis_on_display_after_every_event(
    catalogue: Catalogue,
    first_age: int,
    others: list[tuple[int, Severity]],
    steps: list[tuple[int, Event, int, date]],
) -> None:
    basis = [record(catalogue, decided=LISTED - timedelta(first_age), severity=Severity.SERIOUS)]
    basis += [record(catalogue, decided=LISTED - timedelta(age), severity=s) for age, s in others]
    entry = listing(basis)
    day = LISTED
    for index, event, gap, new_end in steps:
        next_day = day + timedelta(gap)
        for d in days_to_check(entry, basis, day):
            if d < next_day and entry.in_force(d):
                assert stands_on_display(entry, basis, d), (d, entry.history)
        day = next_day
        at = index % len(basis)
        changes = dict(event.changes)
        if event.name == "made serious":
            # A correction recomputes the period: here, any end after the decision.
            period = basis[at].disclosure
            changes["disclosure"] = period.model_copy(update={"end": max(new_end, period.start)})
        was_in_force = entry.in_force(day)
        basis[at] = change(basis[at], event.kind, day, **changes)

        after = rules.rejudged(entry, changed=basis[at], basis=basis, day=day)

        if was_in_force:
            removed = after is not None and after.removed
            assert removed == (not stands_on_display(entry, basis, day))
        if after is not None:
            assert after.history[-1].record_id == basis[at].id
            assert after.history[-1].record_change is event.kind
            assert after.version == entry.version + 1
            entry = after
    for d in days_to_check(entry, basis, day):
        if entry.in_force(d):
            assert stands_on_display(entry, basis, d), (d, entry.history)


def serious_and_general(catalogue: Catalogue) -> tuple[Record, Record]:
    return (
        record(catalogue, decided=date(2020, 6, 1), severity=Severity.SERIOUS),
        record(catalogue, decided=date(2020, 6, 1), severity=Severity.GENERAL),
    )


def test_repairing_a_general_basis_leaves_an_entry_on_a_standing_serious_basis(
    catalogue: Catalogue,
) -> None:
    serious, general = serious_and_general(catalogue)
    entry = listing([serious, general], until=date(2021, 6, 1))
    repaired = change(general, ChangeKind.REPAIRED, LISTED, status=RecordStatus.REPAIRED)

    assert rules.rejudged(entry, changed=repaired, basis=[serious, repaired], day=LISTED) is None


def test_revoking_the_serious_basis_removes_the_entry_naming_the_record(
    catalogue: Catalogue,
) -> None:
    serious, general = serious_and_general(catalogue)
    entry = listing([serious, general], until=date(2021, 6, 1))
    revoked = change(serious, ChangeKind.REVOKED, LISTED, status=RecordStatus.REVOKED)

    after = rules.rejudged(entry, changed=revoked, basis=[revoked, general], day=LISTED)

    assert after is not None
    assert (after.removed_on, after.removed_by, after.in_force(LISTED)) == (
        LISTED,
        "440300-TEST",
        False,
    )
    line = after.history[-1]
    assert (line.event, line.record_id, line.record_change) == (
        EntryEvent.REMOVED,
        serious.id,
        ChangeKind.REVOKED,
    )
    assert line.reason == after.removal_reason
    assert line.reason.startswith(f"列入依据{serious.id}已撤销（第2版撤销）")


def test_losing_the_longest_serious_basis_shortens_until_to_the_next(
    catalogue: Catalogue,
) -> None:
    longer = record(catalogue, decided=date(2020, 6, 1), severity=Severity.SERIOUS)
    shorter = record(catalogue, decided=date(2020, 3, 1), severity=Severity.SERIOUS)
    entry = listing([longer, shorter])
    hidden = change(longer, ChangeKind.OBJECTION_RESOLVED, LISTED, hidden=True)

    after = rules.rejudged(entry, changed=hidden, basis=[hidden, shorter], day=LISTED)

    assert after is not None
    assert (after.until, after.removed) == (last_display_day(shorter), False)
    assert after.history[-1].event is EntryEvent.SHORTENED
    assert "已不予公示" in after.history[-1].reason
    assert not after.in_force(last_display_day(shorter) + timedelta(days=1))


def test_moving_the_basis_to_another_subject_removes_the_entry(catalogue: Catalogue) -> None:
    serious, _general = serious_and_general(catalogue)
    entry = listing([serious])
    moved = change(serious, ChangeKind.CORRECTED, LISTED, subject_id=OTHER.id)

    after = rules.rejudged(entry, changed=moved, basis=[moved], day=LISTED)

    assert after is not None
    assert after.removed
    assert "已更正为其他主体的记录" in after.history[-1].reason


def test_an_entry_removed_or_ended_keeps_its_history(catalogue: Catalogue) -> None:
    serious, _general = serious_and_general(catalogue)
    entry = listing([serious], until=date(2021, 6, 1))
    gone = rules.removed(entry, on=LISTED, by="centre", reason="处罚决定已撤销")
    revoked = change(serious, ChangeKind.REVOKED, LISTED, status=RecordStatus.REVOKED)

    assert rules.rejudged(gone, changed=revoked, basis=[revoked], day=LISTED) is None
    assert rules.rejudged(entry, changed=revoked, basis=[revoked], day=date(2021, 6, 2)) is None


def test_listing_history_names_the_basis_whose_display_bounds_it(catalogue: Catalogue) -> None:
    longer = record(catalogue, decided=date(2020, 6, 1), severity=Severity.SERIOUS)
    shorter = record(catalogue, decided=date(2020, 3, 1), severity=Severity.SERIOUS)

    line = listing([shorter, longer]).history[0]

    assert line.event is EntryEvent.LISTED
    assert f"严重失信记录{longer.id}公示期届满" in line.reason


def test_every_kind_of_record_change_has_words_for_the_history() -> None:
    assert set(CHANGE_WORDS) == set(ChangeKind)
