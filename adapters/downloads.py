"""Downloading a file a user sent in chat: only from the hosts the platform keeps files on, bounded in size and time.

Slack and Teams both hand the bot a URL to fetch. The URL arrives in a payload, so it is never trusted as
it is: each hop (the first request and every redirect) must be to a host the caller allows
(:class:`Hosts`), credentials go only to the first host, at most :data:`MAX_REDIRECTS` redirects are
followed, the whole download has a time limit, and reading stops as soon as the body passes the size
limit. Every failure is a :class:`DownloadFailed` whose message is one line a user can read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import aiohttp
from yarl import URL

MAX_REDIRECTS = 3
TIMEOUT_SECONDS = 30.0
CHUNK = 64 * 1024
_REDIRECTS = {301, 302, 303, 307, 308}
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


class DownloadFailed(Exception):
    """The file could not be fetched; the message says why, in words for the person who sent it."""


class TooLarge(DownloadFailed):
    """The body went past the size limit: reading stopped there."""


@dataclass(frozen=True)
class Hosts:
    """Where files may be fetched from: HTTPS to ``domains`` (and their subdomains) on the default port, and
    ``exact`` origins (scheme, host, port) named by configuration, such as a fake platform in tests."""

    domains: tuple[str, ...]
    exact: tuple[tuple[str, str, int | None], ...] = ()
    loopback: bool = False  # any port of this machine (local testing only: see the caller)

    def allow(self, url: URL) -> bool:
        host = (url.host or "").lower().rstrip(".")
        if not host or url.user or url.password:
            return False
        if (url.scheme, host, url.port) in self.exact:
            return True
        if self.loopback and url.scheme in ("http", "https") and host in LOOPBACK:
            return True
        if url.scheme != "https" or url.port not in (None, 443):
            return False
        return any(host == domain or host.endswith("." + domain) for domain in self.domains)


def origin(url: str) -> tuple[str, str, int | None]:
    """``http://127.0.0.1:8123/api/`` → ``("http", "127.0.0.1", 8123)``."""
    parsed = URL(url)
    return parsed.scheme, (parsed.host or "").lower(), parsed.port


async def download(
    http: aiohttp.ClientSession,
    url: str,
    *,
    hosts: Hosts,
    limit: int,
    headers: Mapping[str, str] | None = None,
    timeout: float = TIMEOUT_SECONDS,
) -> tuple[bytes, str]:
    """The body at ``url`` and its content type; :class:`DownloadFailed` (or :class:`TooLarge`) otherwise."""
    try:
        current = URL(url, encoded=False)
    except (ValueError, TypeError):
        raise DownloadFailed("the file's address is not a URL") from None
    first = current.host
    budget = aiohttp.ClientTimeout(total=timeout)
    try:
        for _ in range(MAX_REDIRECTS + 1):
            if not hosts.allow(current):
                raise DownloadFailed(f"the file is at {current.host or 'no host'}, which is not where the platform "
                                     "keeps files: nothing was downloaded")  # fmt: skip
            sent = dict(headers or {}) if current.host == first else {}
            async with http.get(current, headers=sent, allow_redirects=False, timeout=budget) as response:
                if response.status in _REDIRECTS and response.headers.get("Location"):
                    current = current.join(URL(response.headers["Location"]))
                    continue
                if response.status != 200:
                    raise DownloadFailed(f"the platform answered HTTP {response.status} when asked for the file")
                if response.content_length is not None and response.content_length > limit:
                    raise TooLarge("the file is over the size limit")
                body = bytearray()
                async for chunk in response.content.iter_chunked(CHUNK):
                    body += chunk
                    if len(body) > limit:
                        raise TooLarge("the file is over the size limit")
                return bytes(body), response.content_type
        raise DownloadFailed("the file's address redirected too many times")
    except TimeoutError:
        raise DownloadFailed(f"the download took more than {timeout:.0f} seconds") from None
    except aiohttp.ClientError as exc:
        raise DownloadFailed(f"the download failed ({type(exc).__name__})") from None
