"""SQL the two databases spell differently, as SQLAlchemy constructs that compile to each one's spelling."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement


class json_rows(FunctionElement[Any]):  # noqa: N801 (named as SQL functions are)
    """An aggregate: each row's values as a JSON array, all of them in one JSON array (read back as lists).

    ``json_group_array(json_array(…))`` on SQLite, ``json_agg(json_build_array(…))`` on PostgreSQL. The order
    of the rows is not defined: give a value to sort by. No rows: ``[]`` on SQLite, ``NULL`` on PostgreSQL."""

    type = JSON()
    inherit_cache = True
    name = "json_rows"


@compiles(json_rows, "sqlite")
def _sqlite(element: json_rows, compiler: SQLCompiler, **kw: Any) -> str:
    return f"json_group_array(json_array({compiler.process(element.clauses, **kw)}))"


@compiles(json_rows, "postgresql")
def _postgresql(element: json_rows, compiler: SQLCompiler, **kw: Any) -> str:
    return f"json_agg(json_build_array({compiler.process(element.clauses, **kw)}))"
