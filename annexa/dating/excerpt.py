"""Trim the words a date was read from to a line a person can check."""

from __future__ import annotations

EXCERPT_LIMIT = 120


def excerpt(line: str, start: int = 0, limit: int = EXCERPT_LIMIT) -> str:
    """``line`` with white space collapsed, cut to ``limit`` characters around ``start``.

    The evidence must show the label and its date, so a long line is cut to a
    window that begins a little before the label rather than at the line's start.
    """
    flat = " ".join(line.split())
    if len(flat) <= limit:
        return flat
    prefix = " ".join(line[:start].split())
    at = len(prefix) + (1 if prefix else 0)  # where ``start`` lands in ``flat``
    begin = max(0, min(at - 20, len(flat) - limit + 1))
    lead = "…" if begin > 0 else ""
    room = limit - len(lead)
    piece = flat[begin : begin + room]
    if begin + room < len(flat):
        piece = piece[: room - 1] + "…"
    return lead + piece
