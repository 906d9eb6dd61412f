"""Long staff lists come in pages of PAGE_SIZE rows, chosen by ?page=, with windowed page links
(templates/macros/pagination.html draws them)."""

from dataclasses import dataclass

import sqlalchemy as sa
from flask import request

from ..extensions import db
from ..rules.pages import page_count as pages_for
from ..rules.pages import page_window
from ..rules.text import parse_id

PAGE_SIZE = 50


def page_count(total: int) -> int:
    return pages_for(total, PAGE_SIZE)


def page_number(pages: int) -> int:
    """?page= as a page from 1 to pages: anything else ('²', '-1', 10**40) is the first or the last page."""
    return min(max(1, parse_id(request.args.get("page")) or 1), pages)


def on_page(query, page: int):
    """The query limited to the rows of this page."""
    return query.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)


@dataclass(frozen=True)
class Paging:
    """Where this request is in a list: its size, this page, the pages and which of them to link."""

    total: int
    page: int
    pages: int

    @property
    def window(self) -> list[int | None]:
        return page_window(self.page, self.pages)

    def rows(self, query) -> list:
        """This page's rows of the (ordered) query."""
        return db.session.execute(on_page(query, self.page)).all()


def paging_for(query) -> Paging:
    """Count the query's rows and read ?page= against them."""
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.order_by(None).subquery()))
    pages = page_count(total)
    return Paging(total=total, page=page_number(pages), pages=pages)


EMPTY = Paging(total=0, page=1, pages=1)
