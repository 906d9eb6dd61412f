"""Shares of a total as whole percents that add up to exactly 100 (largest-remainder rounding)."""

from collections.abc import Sequence


def whole_percents(counts: Sequence[int], whole: int = 100) -> list[int]:
    """Each count's share of their sum in whole percents, adding up to exactly `whole` (0s if the sum is 0).

    Every share is its exact value rounded down or up (Hamilton's largest-remainder method): the rounded-down
    shares are raised by one, largest remainder first, until they add up. Equal remainders go to the larger
    count, then to the earlier one, so a larger count never gets a smaller share and a count of 0 gets 0 %."""
    if any(count < 0 for count in counts):
        raise ValueError("counts cannot be negative")
    total = sum(counts)
    if total == 0:
        return [0] * len(counts)
    shares = [count * whole // total for count in counts]
    remainders = [count * whole % total for count in counts]  # exact, in units of 1/total
    short = whole - sum(shares)
    order = sorted(range(len(counts)), key=lambda index: (-remainders[index], -counts[index], index))
    for index in order[:short]:
        shares[index] += 1
    return shares
