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

Reading rules (docs/dating.md says them for users, with which date wins):

- text layer (``textlayer.py``): ligatures, split words, letter-spacing and
  invisible characters are mended before anything is read.
- content labels (``content.py``, ``labels.py``): dates right after a label.
  Issue labels ("Date approved", "Edition", "Last reviewed", ...) and expiry
  labels ("Next review", "To be reviewed by", "Valid until", ...); the
  longest label wins, so "Next review date" is never "Date". Words before a
  label can cancel it ("Start date", "to be approved", "Previous review
  date"). A lone label may take its date from the start of the next line.
  A year alone counts only after an expiry label.
- version tables (``versions.py``): the newest row dates the document, as
  strongly as a label; a newest version numbered 0.x marks a draft.
- cover and running dates (``cover.py``): unlabelled dates on the cover,
  beside the title or in a running header or footer, with their decoys;
  looked for only when there is no labelled date (``FoundDate.basis``).
- periods (``covered.py``, ``ranges.py``, ``spans.py``): spans of years and
  periods written with months ("April 2016 – March 2017") in the title,
  after a period label, in a running head or in a foreword sentence,
  strongest first (``YearSpan.basis``); a stated period keeps its end.
- which lines are the cover, the title lines and the running heads, and
  which read as prose (``firstpage.py``).
- formats (``parse.py``): day-month-year in words, month-year, numeric in
  the spec's ``date_order``, ISO always year-first, two-digit years 00-69 =
  20xx and 70-99 = 19xx, month precision = last day of the month, years
  1990-2099 only.
- file name (``filename.py``): a date is an issue date; a span or a single
  year is a YearSpan (the period covered), never an issue date.
- metadata (``metadata.py``): PDF info, XMP and Office core dates, tolerant
  of malformed strings; modified before created; mtime only when asked.
- drafts (``drafts.py``): a whole-word marker in the file name, the Word
  status, a header or footer, or a short line of page 1.

Which candidate wins is the judging stage's decision
(``annexa.judging.file_verdict``): dating finds, with evidence, and ranks.
"""

from annexa.dating.document import read_dates

__all__ = ["read_dates"]
