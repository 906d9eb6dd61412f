"""Which page links a long list shows: the first, the last and a few around the current page, gaps as ellipses."""

AROUND = 2  # pages shown on each side of the current one


def page_count(total: int, size: int) -> int:
    """Pages needed for total rows, size to a page; an empty list still has one (empty) page."""
    if size < 1:
        raise ValueError("a page holds at least one row")
    return max(1, -(-max(total, 0) // size))


def page_window(page: int, pages: int, around: int = AROUND) -> list[int | None]:
    """Page numbers to link, in order, with None where an ellipsis stands for skipped pages.

    page is clamped to 1..pages. A gap of a single page shows that page instead of an ellipsis, which
    would take as much room and hide it. At most 2 * around + 5 entries, however many pages there are."""
    if pages < 1:
        return []
    page = min(max(page, 1), pages)
    shown = {1, pages, *range(max(1, page - around), min(pages, page + around) + 1)}
    window: list[int | None] = []
    previous = 0
    for number in sorted(shown):
        if number - previous == 2:
            window.append(number - 1)
        elif number - previous > 2:
            window.append(None)
        window.append(number)
        previous = number
    return window
