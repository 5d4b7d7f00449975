"""Finding the header row of a list file and mapping its columns to an importer's fields.

A list often opens with a few title rows; the header is the first row that names the columns
an importer cannot do without. Each importer brings its own table of header spellings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from lib.tabular.cells import cell_text

# Header rows may sit under a few title rows; give up looking after this many.
HEADER_SEARCH_ROWS = 50


@dataclass
class Header:
    """The header row found: its number, and for each field the first column naming it."""

    row: int
    index: dict[str, int]  # field -> cell position
    headers: dict[str, str]  # field -> header as written in the file
    ignored: list[str]  # headers of columns no field takes (unknown, or a field's second column)

    def has(self, name: str) -> bool:
        return name in self.index


def find_header(
    rows: Iterator[tuple[int, list]],
    *,
    field_of: Callable[[Any], str | None],
    is_header: Callable[[list], bool],
    text: Callable[[Any], str] = cell_text,
    listed: Callable[[str], bool] = bool,
    search_rows: int = HEADER_SEARCH_ROWS,
) -> Header | None:
    """Consume rows up to the first whose fields (`field_of` each cell) pass `is_header`; None
    when none does within `search_rows`. An ignored column is listed when `listed(its text)`."""
    for number, cells in rows:
        fields = [field_of(cell) for cell in cells]
        if is_header(fields):
            index: dict[str, int] = {}
            headers: dict[str, str] = {}
            ignored: list[str] = []
            for pos, (cell, name) in enumerate(zip(cells, fields, strict=True)):
                written = text(cell)
                if name is None or name in index:
                    if written and listed(written):
                        ignored.append(written)
                    continue
                index[name], headers[name] = pos, written
            return Header(row=number, index=index, headers=headers, ignored=ignored)
        if number >= search_rows:
            return None
    return None
