"""Argument types shared by the `labeling-analytics` commands, so that each says the same thing."""

from __future__ import annotations

import argparse
from datetime import date


def positive_int(text: str) -> int:
    """A whole number of at least 1; `1_000_000` and `1,000,000` are read as 1000000."""
    try:
        value = int(text.replace("_", "").replace(",", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"a whole number is expected, got {text}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {text}")
    return value


def iso_day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"a day is YYYY-MM-DD, got {text}") from None
