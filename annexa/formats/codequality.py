"""GitLab Code Quality: the items that need action in the merge request's Code Quality widget.

A JSON array with one issue per item that needs action, in the fields
GitLab documents as required: ``description``, ``check_name``,
``fingerprint``, ``severity`` and ``location`` (``path`` and
``lines.begin``). Errors are ``major``, warnings ``minor``. ``path`` is the
item's file relative to ROOT (scan the project root so it matches the
repository); a missing item, which has no file, is placed at the spec when
the spec is inside ROOT, and at the project folder (``.``) otherwise.
Documents have no meaningful lines, so every issue is on line 1.

The fingerprint is made of the spec, the item and its status: GitLab
compares fingerprints between the target branch and the merge request, so
an item that stays out of date is one issue, not a new one each run.
"""

from __future__ import annotations

import json
from typing import Any

from annexa.formats._common import finding_fingerprint, finding_text, spec_in_root
from annexa.model import ItemResult, Report, Severity
from annexa.words.textsafe import to_unicode

SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor"}


def _issue(report: Report, item: ItemResult, spec_file: str | None) -> dict[str, Any]:
    assert item.severity is not None
    return {
        "description": finding_text(item),
        "check_name": f"annexa.{item.status.value}",
        "fingerprint": finding_fingerprint(report, item),
        "severity": SEVERITY[item.severity],
        "location": {
            "path": to_unicode(item.file or spec_file or "."),
            "lines": {"begin": 1},
        },
    }


def render(report: Report, *, colour: bool = False) -> str:
    """The Code Quality report as JSON. ``colour`` is ignored."""
    spec_file = spec_in_root(report)
    issues = [_issue(report, item, spec_file) for item in report.items if item.severity is not None]
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
