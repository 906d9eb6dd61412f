"""How many services an office may offer, by rank (Clause 5-6; SPEC §5)."""

DEFAULT_PERCENTS = (100, 70, 30)


def _is_int(value) -> bool:
    # bool is an int subclass, but True services or rank True is a caller bug.
    return isinstance(value, int) and not isinstance(value, bool)


def check_percents(percents) -> tuple[int, int, int]:
    """Validated per-round percentages for ranks 1, 2, 3: three ints in 0..100."""
    try:
        values = tuple(percents)
    except TypeError:
        raise ValueError("percents must be three integers") from None
    if len(values) != 3 or not all(_is_int(p) and 0 <= p <= 100 for p in values):
        raise ValueError("percents must be three integers in 0..100")
    return values


def allowed_services(rank: int | None, available: int, percents=DEFAULT_PERCENTS) -> int:
    """Clause 5-6, ch. 5: services an office of this rank may offer out of N available in its area.

    Rank 1: all N (percents[0] = 100); rank 2: at most 70 %; rank 3: at most
    30 %; no submission (rank None) counts as rank 3. "At most" means round
    down, computed as p·N // 100 in integers, never floats.
    """
    if not _is_int(available) or available < 0:
        raise ValueError("available must be a non-negative integer")
    if rank is None:
        rank = 3
    if not _is_int(rank) or rank not in (1, 2, 3):
        raise ValueError("rank must be 1, 2, 3 or None")
    return check_percents(percents)[rank - 1] * available // 100
