"""Long staff lists come in pages of PAGE_SIZE rows, chosen by ?page=."""

from flask import request

from ..rules.text import parse_id

PAGE_SIZE = 50


def page_count(total: int) -> int:
    return max(1, -(-total // PAGE_SIZE))


def page_number(pages: int) -> int:
    """?page= as a page from 1 to pages: anything else ('²', '-1', 10**40) is the first or the last page."""
    return min(max(1, parse_id(request.args.get("page")) or 1), pages)


def on_page(query, page: int):
    """The query limited to the rows of this page."""
    return query.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
