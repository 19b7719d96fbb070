"""Which items of a spec a file's path matches: by extension, then by pattern.

Built once per spec and owned by it (``Spec.items_matching``): matching a
cold inventory of 50,000 paths against hundreds of items then tries only
the patterns whose literal text occurs in each path.
"""

from __future__ import annotations

from collections.abc import Sequence

from annexa.finding.literal_index import ExtensionIndex, MatchRule, build_index


class ItemMatcher:
    """The items a ROOT-relative path matches, in spec order, for one set of rules."""

    def __init__(self, rules: Sequence[MatchRule]) -> None:
        by_extension: dict[str, list[MatchRule]] = {}
        for rule in rules:
            for extension in rule.formats:
                by_extension.setdefault(extension, []).append(rule)
        self._index: dict[str, ExtensionIndex] = {
            extension: build_index(found) for extension, found in by_extension.items()
        }

    def match(self, path: str) -> tuple[str, ...]:
        """The ids of the items whose patterns and formats ``path`` matches."""
        name = path.rsplit("/", 1)[-1]
        dot = name.rfind(".")
        if dot <= 0:
            return ()
        index = self._index.get(name[dot + 1 :].lower())
        return index.match(path) if index is not None else ()
