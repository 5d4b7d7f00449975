"""Pagination for lists too long to count, shared by every app's list pages."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

PER_PAGE = 50


@dataclass
class CheapPage:
    """One page of a list without a COUNT(*): at national scale counting the whole roster is the
    slowest part of the page, so the page fetches one row more than it shows to know if there is
    a next page."""

    object_list: list
    number: int
    has_next: bool
    per_page: int

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.object_list else 0

    @property
    def end_index(self) -> int:
        return (self.number - 1) * self.per_page + len(self.object_list)


def cheap_page(queryset: QuerySet, page: str | None, per_page: int = PER_PAGE) -> CheapPage:
    """Page `page` (a query-string value, 1 when missing or bad) of `queryset`, without counting it."""
    number = int(page) if page and page.isdigit() and int(page) > 0 else 1
    start = (number - 1) * per_page
    rows = list(queryset[start : start + per_page + 1])
    return CheapPage(
        object_list=rows[:per_page], number=number, has_next=len(rows) > per_page, per_page=per_page
    )
