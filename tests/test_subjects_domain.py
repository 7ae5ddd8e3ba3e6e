"""Domain tests: a subject's basic data over a sequence of corrections (notice 一(四))."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.subjects import Subject, with_basic_data
from tests import factories

AT = datetime(2020, 9, 1, 4, tzinfo=UTC)
NAMES = st.sampled_from(["甲公司", "乙公司", "丙公司", "甲 公司", "ＡＢ公司", "AB公司"])
ITEMS = st.dictionaries(
    st.sampled_from(["address", "industry", "legal_representative"]), st.sampled_from(["一", "二"])
)


@given(st.lists(st.tuples(NAMES, ITEMS), max_size=8))
def test_corrections_keep_the_identifier_every_former_name_and_count_versions(
    corrections: list[tuple[str, dict[str, str]]],
) -> None:
    subject: Subject = factories.firm(9001, name="甲公司")
    names_held = {subject.name}
    for name, items in corrections:
        before = subject
        subject = with_basic_data(
            subject, {"name": name, "identifier": subject.identifier, **items}, at=AT, by="U"
        )
        names_held.add(name)

        assert subject.identifier == before.identifier
        changed = subject is not before
        assert subject.version == before.version + changed
        assert len(subject.history) == subject.version - 1
        assert (subject.name, subject.basic) == (name, items)
        # Every name it had names it still; a name is kept once.
        assert all(subject.known_by(n) for n in names_held)
        assert len({*subject.former_names}) == len(subject.former_names)


def test_the_identifier_never_changes() -> None:
    firm = factories.firm(9002)

    with pytest.raises(ValueError, match="identifier cannot change"):
        with_basic_data(firm, {"name": firm.name, "identifier": "X"}, at=AT, by="U")
