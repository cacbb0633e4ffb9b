"""A TCP proxy on 127.0.0.1 that a test can cut and restore: the network between actionbot and PostgreSQL.

``cut()`` drops every connection through it (as a server restart or a failover does) and stops accepting
new ones (connection refused, as while the server is down); ``restore()`` listens again on the same port;
``drop()`` only drops the open connections (an idle timeout, a restart that is over before anyone
notices). It runs on the test's event loop; ``cut_now()`` cuts it from another thread (the one the
database work runs in) and returns when it is done.
"""

from __future__ import annotations

import asyncio
import contextlib


class TcpProxy:
    """Forwards ``127.0.0.1:<port>`` to ``target_host:target_port`` until told otherwise."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = 0
        self.connections = 0
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._loop: asyncio.AbstractEventLoop | None = None

    async def start(self) -> TcpProxy:
        self._loop = asyncio.get_running_loop()
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", self.port, reuse_address=True)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    @property
    def listening(self) -> bool:
        return self._server is not None

    async def cut(self) -> None:
        """Refuse new connections and drop the open ones."""
        if self._server is not None:
            self._server.close()
            self._server = None
        self.drop()
        await asyncio.sleep(0)

    async def restore(self) -> None:
        """Accept connections again, on the same port."""
        if self._server is None:
            await self.start()

    def drop(self) -> None:
        """Drop every open connection (both sides see it reset); keep accepting new ones."""
        for writer in list(self._writers):
            writer.transport.abort()
        self._writers.clear()

    def cut_now(self) -> None:
        """Cut from a thread other than the loop's (a database listener); returns once it is cut."""
        assert self._loop is not None
        asyncio.run_coroutine_threadsafe(self.cut(), self._loop).result(timeout=5)

    def bounce_now(self) -> None:
        """Cut and restore at once, from another thread: every open connection is dead, new ones work."""
        assert self._loop is not None
        asyncio.run_coroutine_threadsafe(self._bounce(), self._loop).result(timeout=5)

    async def _bounce(self) -> None:
        await self.cut()
        await self.restore()

    async def close(self) -> None:
        await self.cut()

    async def _serve(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        try:
            server_reader, server_writer = await asyncio.open_connection(*self.target)
        except OSError:
            client_writer.transport.abort()
            return
        self.connections += 1
        self._writers |= {client_writer, server_writer}
        await asyncio.gather(
            self._pipe(client_reader, server_writer), self._pipe(server_reader, client_writer), return_exceptions=True
        )
        self._writers -= {client_writer, server_writer}

    @staticmethod
    async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        finally:
            with contextlib.suppress(Exception):
                writer.transport.abort()
