"""Reading list files (Excel, CSV) for the importers of every app: rows out of the sandbox,
cells as text, dates and numbers, the header row, and bulk writes by COPY. Owns no models.

    from lib.tabular import ImportFileError, RowError, find_header, open_rows
"""

from lib.tabular.cells import (
    EXCEL_EPOCH,
    Memo,
    RowError,
    blank,
    cell_at,
    cell_text,
    clean_str,
    number_text,
    parse_date,
)
from lib.tabular.columns import HEADER_SEARCH_ROWS, Header, find_header
from lib.tabular.copy import CopyTable
from lib.tabular.readers import EXTENSIONS, ImportFileError, RowSource, open_rows, read_rows
from lib.tabular.uploads import clean_list_upload

__all__ = [
    "EXCEL_EPOCH",
    "EXTENSIONS",
    "HEADER_SEARCH_ROWS",
    "CopyTable",
    "Header",
    "ImportFileError",
    "Memo",
    "RowError",
    "RowSource",
    "blank",
    "cell_at",
    "cell_text",
    "clean_list_upload",
    "clean_str",
    "find_header",
    "number_text",
    "open_rows",
    "parse_date",
    "read_rows",
]
