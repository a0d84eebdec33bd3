"""List resources the way Twilio pages them: PageSize, Page, PageToken, next_page_uri.

The page token names the last record of the previous page ("PA" + its SID), so a page
stays right while new calls are created; every page URI keeps the list's filters, so the
SDK's `calls.list(...)` / `stream(...)` walks the whole filtered list.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence
from urllib.parse import urlencode

from aiohttp import web

#: Twilio's default and largest page sizes.
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 1000


class PagingError(ValueError):
    """A PageSize, Page or PageToken Twilio would refuse."""


def _int(query: Any, name: str, default: int) -> int:
    raw = query.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise PagingError(f"{name} must be a non-negative integer, not {raw!r}") from None
    if value < 0:
        raise PagingError(f"{name} must be a non-negative integer, not {raw!r}")
    return value


def page_of(request: web.Request, key: str, items: Sequence[dict[str, Any]],
            filters: dict[str, str], sid_of: Callable[[dict[str, Any]], str] = lambda i: i["sid"],
            ) -> dict[str, Any]:
    """The JSON page of `items` (already filtered, newest first) the request asked for."""
    query = request.query
    size = _int(query, "PageSize", DEFAULT_PAGE_SIZE)
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise PagingError(f"PageSize must be between 1 and {MAX_PAGE_SIZE}")
    page = _int(query, "Page", 0)
    token = query.get("PageToken", "")
    if token:
        if not token.startswith("PA"):
            raise PagingError(f"PageToken {token!r} is not valid")
        after = token[2:]
        sids = [sid_of(i) for i in items]
        start = sids.index(after) + 1 if after in sids else len(items)
    else:
        start = page * size
    chunk = list(items[start:start + size])

    def uri(number: int, more: dict[str, str] | None = None) -> str:
        params = {**filters, "PageSize": str(size), "Page": str(number), **(more or {})}
        return f"{request.path}?{urlencode(params)}"

    next_uri = None
    if start + size < len(items) and chunk:
        next_uri = uri(page + 1, {"PageToken": "PA" + sid_of(chunk[-1])})
    previous_uri = None
    if page > 0 and start > 0:
        before = items[max(0, start - size - 1)] if start - size - 1 >= 0 else None
        previous_uri = uri(page - 1, {"PageToken": "PA" + sid_of(before)} if before else None)
    return {
        key: chunk, "start": start, "end": start + max(0, len(chunk) - 1), "page": page,
        "page_size": size, "uri": uri(page, {"PageToken": token} if token else None),
        "first_page_uri": uri(0), "next_page_uri": next_uri,
        "previous_page_uri": previous_uri,
    }
