"""'Coming up': what falls due in the next 90 days, soonest first, in every face."""

from __future__ import annotations

import datetime as dt

from annexa.model import ItemResult, Report, Status

AS_OF = dt.date(2015, 9, 16)


def _item(item_id: str, expires: dt.date | None, status: Status = Status.OK) -> ItemResult:
    return ItemResult(
        item_id, f"Item {item_id}", None, status, status.severity, "", expires=expires
    )


def _report(*items: ItemResult) -> Report:
    return Report(".", "spec", "spec", AS_OF, items)


def test_coming_up_lists_expiries_within_ninety_days_soonest_first():
    report = _report(
        _item("A1", dt.date(2015, 12, 1)),
        _item("A2", dt.date(2015, 9, 20), Status.DUE_SOON),
        _item("A3", dt.date(2016, 3, 1)),
        _item("A4", None, Status.MISSING),
        _item("A5", dt.date(2015, 9, 1), Status.OUT_OF_DATE),
    )
    assert [item.id for item in report.coming_up()] == ["A2", "A1"]


def test_coming_up_includes_both_ends_of_the_window():
    report = _report(_item("A1", AS_OF + dt.timedelta(days=90)), _item("A2", AS_OF))
    assert [item.id for item in report.coming_up()] == ["A2", "A1"]
    assert [item.id for item in report.coming_up(days=30)] == ["A2"]
