"""Wire shapes of the fee: starting an online payment, cash at the counter."""
from __future__ import annotations

from pydantic import Field

from bordergate.entrypoints.api.inputs import In


class PaymentIn(In):
    """Where the provider sends the payer back after paying (optional)."""

    return_url: str | None = Field(None, max_length=500, examples=["https://portal.example.vn/paid"])


class CashIn(In):
    """The cash counted at the counter, in whole VND: exactly what is due."""

    amount_vnd: int = Field(gt=0, le=1_000_000_000, examples=[4000000])
