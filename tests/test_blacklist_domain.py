"""Domain tests: the listing rule of the blacklist, its notice and expiry by date (二(八))."""

from __future__ import annotations

from datetime import date

import pytest

from domain import blacklist as rules
from domain import listing_notice
from domain.catalogue import Catalogue
from domain.disclosure import Severity
from domain.records import Record, RecordStatus
from domain.subjects import Subject
from tests import factories

TODAY = date(2020, 9, 1)
DECIDED = date(2020, 6, 1)
# Serious, decided 2020-06-01: disclosed for 36 months, 2023-06-01 its last day on display.
LAST_DISPLAY_DAY = date(2023, 6, 1)


def serious(catalogue: Catalogue, subject: Subject, **changes: object) -> Record:
    record = factories.record(
        catalogue, subject, item_code="DISHONEST_2", decided=DECIDED, severity=Severity.SERIOUS
    )
    return record.model_copy(update=changes)


def check(subject: Subject, basis: list[Record], *, until: date = date(2021, 6, 1)) -> None:
    rules.check_listing(
        subject_id=subject.id,
        requested_ids=[r.id for r in basis],
        basis=basis,
        until=until,
        today=TODAY,
    )


def test_listing_on_one_serious_disclosed_record_is_accepted(catalogue: Catalogue) -> None:
    firm = factories.firm()

    check(firm, [serious(catalogue, firm)])


def test_listing_on_a_general_record_alone_is_refused(catalogue: Catalogue) -> None:
    firm = factories.firm()
    general = serious(catalogue, firm, severity=Severity.GENERAL)

    with pytest.raises(rules.BasisInvalid, match="serious") as caught:
        check(firm, [general])

    assert caught.value.record_id == general.id


def test_general_record_beside_a_serious_one_is_accepted(catalogue: Catalogue) -> None:
    firm = factories.firm()

    check(firm, [serious(catalogue, firm), serious(catalogue, firm, severity=Severity.GENERAL)])


@pytest.mark.parametrize(
    "status", [RecordStatus.REPAIRED, RecordStatus.REVOKED, RecordStatus.EXCUSED]
)
def test_listing_on_a_record_no_longer_active_is_refused(
    catalogue: Catalogue, status: RecordStatus
) -> None:
    firm = factories.firm()
    record = serious(catalogue, firm, status=status)

    with pytest.raises(rules.BasisInvalid, match=status.value) as caught:
        check(firm, [record])

    assert caught.value.record_id == record.id


def displayed_until(record: Record, end: date) -> Record:
    return record.model_copy(
        update={"disclosure": record.disclosure.model_copy(update={"end": end})}
    )


def test_listing_on_a_record_shown_one_more_day_lasts_that_day(catalogue: Catalogue) -> None:
    firm = factories.firm()
    record = displayed_until(serious(catalogue, firm), date(2020, 9, 2))

    check(firm, [record], until=date(2020, 9, 2))
    with pytest.raises(rules.UntilInvalid, match="2020-09-02 at the latest"):
        check(firm, [record], until=date(2020, 9, 3))


def test_listing_on_a_record_in_its_last_display_day_cannot_last(catalogue: Catalogue) -> None:
    firm = factories.firm()
    record = displayed_until(serious(catalogue, firm), TODAY)

    with pytest.raises(rules.UntilInvalid, match="after today"):
        check(firm, [record], until=TODAY)
    with pytest.raises(rules.UntilInvalid, match="2020-09-01 at the latest"):
        check(firm, [record], until=date(2020, 9, 2))


def test_listing_on_a_record_whose_display_ended_yesterday_is_refused(
    catalogue: Catalogue,
) -> None:
    firm = factories.firm()
    ended = displayed_until(serious(catalogue, firm), date(2020, 8, 31))

    with pytest.raises(rules.BasisInvalid, match="public display"):
        check(firm, [ended])


def test_listing_on_a_record_withdrawn_from_display_is_refused(catalogue: Catalogue) -> None:
    firm = factories.firm()

    with pytest.raises(rules.BasisInvalid, match="public display"):
        check(firm, [serious(catalogue, firm, hidden=True)])


def test_listing_on_another_subjects_record_names_it(catalogue: Catalogue) -> None:
    firm, other = factories.firm(), factories.firm()
    theirs = serious(catalogue, other)

    with pytest.raises(rules.BasisInvalid, match="another subject") as caught:
        check(firm, [serious(catalogue, firm), theirs])

    assert caught.value.record_id == theirs.id


def test_listing_on_a_good_behaviour_record_is_refused(catalogue: Catalogue) -> None:
    firm = factories.firm()
    good = factories.record(catalogue, firm, item_code="GOOD_5", decided=DECIDED)

    with pytest.raises(rules.BasisInvalid, match="not a dishonesty record"):
        check(firm, [serious(catalogue, firm), good])


def test_listing_on_a_missing_record_names_it(catalogue: Catalogue) -> None:
    firm = factories.firm()
    record = serious(catalogue, firm)

    with pytest.raises(rules.BasisInvalid, match="r-missing does not exist") as caught:
        rules.check_listing(
            subject_id=firm.id,
            requested_ids=[record.id, "r-missing"],
            basis=[record],
            until=date(2021, 1, 1),
            today=TODAY,
        )

    assert caught.value.record_id == "r-missing"


def test_until_on_the_last_display_day_is_accepted(catalogue: Catalogue) -> None:
    firm = factories.firm()
    record = serious(catalogue, firm)

    assert rules.latest_until([record], subject_id=firm.id, today=TODAY) == LAST_DISPLAY_DAY
    check(firm, [record], until=LAST_DISPLAY_DAY)


@pytest.mark.parametrize("until", [date(2023, 6, 2), date(2023, 6, 3)])
def test_until_after_the_display_end_is_refused(catalogue: Catalogue, until: date) -> None:
    firm = factories.firm()

    with pytest.raises(rules.UntilInvalid, match="2023-06-01"):
        check(firm, [serious(catalogue, firm)], until=until)


def test_until_follows_the_longest_serious_basis(catalogue: Catalogue) -> None:
    firm = factories.firm()
    earlier = factories.record(
        catalogue,
        firm,
        item_code="DISHONEST_2",
        decided=date(2020, 3, 1),
        severity=Severity.SERIOUS,
    )

    assert (
        rules.latest_until([earlier, serious(catalogue, firm)], subject_id=firm.id, today=TODAY)
        == LAST_DISPLAY_DAY
    )


@pytest.mark.parametrize("until", [date(2020, 8, 31), TODAY])
def test_until_today_or_before_is_refused(catalogue: Catalogue, until: date) -> None:
    firm = factories.firm()

    with pytest.raises(rules.UntilInvalid, match="after today"):
        check(firm, [serious(catalogue, firm)], until=until)


def test_until_tomorrow_is_accepted(catalogue: Catalogue) -> None:
    firm = factories.firm()

    check(firm, [serious(catalogue, firm)], until=date(2020, 9, 2))


def test_entry_is_in_force_from_listing_through_until(catalogue: Catalogue) -> None:
    firm = factories.firm()
    entry = factories.blacklist_entry(
        firm, [serious(catalogue, firm)], listed=TODAY, until=date(2021, 3, 1)
    )

    assert not entry.in_force(date(2020, 8, 31))
    assert entry.in_force(TODAY)
    assert entry.in_force(date(2021, 2, 28))
    assert entry.in_force(date(2021, 3, 1))
    assert not entry.in_force(date(2021, 3, 2))


def test_removed_entry_is_no_longer_in_force(catalogue: Catalogue) -> None:
    firm = factories.firm()
    entry = factories.blacklist_entry(
        firm, [serious(catalogue, firm)], listed=TODAY, until=date(2021, 3, 1)
    )

    gone = rules.removed(entry, on=date(2020, 10, 1), by="centre", reason="信用修复")

    assert not gone.in_force(date(2020, 10, 1))
    assert (gone.removed_on, gone.removal_reason) == (date(2020, 10, 1), "信用修复")


def test_removal_with_an_empty_reason_is_refused(catalogue: Catalogue) -> None:
    firm = factories.firm()
    entry = factories.blacklist_entry(
        firm, [serious(catalogue, firm)], listed=TODAY, until=date(2021, 3, 1)
    )

    with pytest.raises(ValueError, match="removal_reason"):
        rules.removed(entry, on=TODAY, by="centre", reason="")


def test_entry_until_before_its_listing_day_is_refused(catalogue: Catalogue) -> None:
    firm = factories.firm()

    with pytest.raises(ValueError, match="until must not be before the listing day"):
        factories.blacklist_entry(
            firm, [serious(catalogue, firm)], listed=TODAY, until=date(2020, 8, 31)
        )


def test_notice_names_basis_reason_measures_removal_and_remedies(catalogue: Catalogue) -> None:
    firm = factories.firm()
    record = serious(catalogue, firm)

    notice = listing_notice.build_notice(
        basis=[record],
        titles={"DISHONEST_2": "生产、销售伪劣口罩"},
        reason="销售伪劣口罩，情节严重",
        until=date(2021, 6, 1),
    )

    assert notice.basis[0].record_id == record.id
    assert notice.basis[0].item_title == "生产、销售伪劣口罩"
    assert any("取消各类评优评选" in m for m in notice.measures)
    assert any("2021-06-01" in c for c in notice.removal_conditions)
    assert any("信用修复" in c for c in notice.removal_conditions)
    assert [r for r in notice.remedies if "异议" in r or "复议" in r or "修复" in r]
    for part in ("列入依据", record.document_number, "销售伪劣口罩，情节严重", "救济途径"):
        assert part in notice.text
