"""shopper: mystery-shopper audits of your own company's website, web chat and phone line."""

from __future__ import annotations

__version__ = "0.1.0"
