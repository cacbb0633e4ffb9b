"""Importing action plans from Word (.docx), Excel (.xlsx), CSV and PDF files, and plain-text reports.

The steps, each in its own module:

1. :mod:`~bot.importing.readers`: the file → tables of cells (nothing is written);
2. :mod:`~bot.importing.headers` and :mod:`~bot.importing.plan_reader`: tables → the plan as read
   (:class:`~bot.importing.model.PlannedImport`), with flags; an unusable file raises
   :class:`~bot.importing.tables.ImportFailed` listing every problem with its table, row and column;
3. :mod:`~bot.importing.upsert`: the plan → the database, in one transaction, with a
   :class:`~bot.importing.report.ImportReport`.

A dry run runs exactly the same code and rolls the transaction back, so it can never disagree with
the real run. :mod:`~bot.importing.importer` runs the steps (``import_file``, ``import_into``, ``read``).

The cell parsers (:mod:`~bot.importing.normalise`, :mod:`~bot.importing.owners`,
:mod:`~bot.importing.segment`, :mod:`~bot.importing.timescales`, :mod:`~bot.importing.values`) are pure:
they import nothing of the database, and this package's ``__init__`` imports nothing at all.
"""
