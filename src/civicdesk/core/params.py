"""Reading IDs out of forms and query strings, where anything may be typed."""


def pk_or_none(value) -> int | None:
    """A positive database ID from ``value``, or None for anything else (text, negatives,
    numbers too large for the column)."""
    try:
        pk = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return pk if 0 < pk < 2**63 else None
