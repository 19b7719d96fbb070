"""Reading: the only stage that opens documents, turning each file into a ``Facts``.

``read.read_facts`` reads one file in this process and never raises: a file
that cannot be read becomes a Facts with a one-line reason and its failure
kind. ``pool.WorkerPoolExtractor`` runs it in killable, memory-bounded
reader processes; ``worker_job`` is what each reader does per file (read,
date ahead, hash). The format readers (``pdf/``, ``docx/``, ``workbook``,
``delimited``) are imported on first use. Nothing here interprets a date.
"""
