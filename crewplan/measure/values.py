"""The stored figures as amounts (pure, no Django): money and fractional counts are kept
as integers in hundredths of their unit (`measure/models.py`)."""

from decimal import Decimal


def from_x100(value: int | None) -> Decimal:
    """Hundredths as Decimal units, exactly (None, a figure not imported, as 0)."""
    return Decimal(value or 0).scaleb(-2)
