"""Slow clients on loopback, for the fault tests and the load test: sockets that send a request's
header lines, or its body, a few bytes at a time. Bounded: they stop when told or after
`seconds`, and only ever connect to 127.0.0.1."""

from __future__ import annotations

import socket
import threading
import time


class SlowClients:
    """`n_header` sockets trickling header lines and `n_body` sockets trickling a POST body."""

    def __init__(self, port: int, n_header: int, n_body: int, interval: float = 1.0,
                 seconds: float = 120.0):
        self.port, self.interval, self.seconds = port, interval, seconds
        self.kinds = ["header"] * n_header + ["body"] * n_body
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self.opened = 0
        self._lock = threading.Lock()

    def _run(self, kind: str) -> None:
        deadline = time.monotonic() + self.seconds
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=5) as s:
                with self._lock:
                    self.opened += 1
                if kind == "header":
                    s.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                    chunks = (f"X-Slow-{n}: {n}\r\n".encode() for n in range(10**6))
                else:
                    s.sendall(b"POST /_dash-update-component HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                              b"Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n")
                    chunks = (b"[" for _ in range(10**6))
                for chunk in chunks:
                    if self._stop.wait(self.interval) or time.monotonic() > deadline:
                        return
                    s.sendall(chunk)
        except OSError:
            return  # the server closed it (a timeout): that is the point

    def __enter__(self) -> SlowClients:
        for kind in self.kinds:
            t = threading.Thread(target=self._run, args=(kind,), daemon=True)
            t.start()
            self._threads.append(t)
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        for t in self._threads:
            t.join(timeout=10)
