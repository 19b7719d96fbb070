"""Dating: turn a file's facts and name into candidate dates, spans and draft marks.

Pure functions only (no I/O, no clock). The evaluator applies the spec's
rules (which source wins, max_age, periods) to what this package finds.

Public entry point::

    read_dates(facts, path, options, mtime_ns) -> DocumentDates

- ``facts``: the extracted Facts of the file, or None when the file was not
  read (a format annexa cannot look inside) or could not be read.
- ``path``: the ROOT-relative path (only its last part, the file name, is
  searched for dates, spans and draft markers).
- ``options``: annexa.spec.rules.DatingOptions (date_sources, date_order,
  year_end, draft_markers).
- ``mtime_ns``: the file's modification time, used only when "mtime" is in
  ``options.date_sources``.
"""

from annexa.dating.document import read_dates

__all__ = ["read_dates"]
