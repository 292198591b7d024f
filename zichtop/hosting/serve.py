"""`make serve`: the app as it should be hosted. gunicorn (2 workers x 4 threads, read-only store)
listens on a loopback port of its own; nginx (Debian's package, config in
zichtop/hosting/nginx.conf) stands in front with timeouts, a body limit, a rate limit and gzip,
and buffers every request whole before gunicorn sees them. Both are started and stopped together.
Everything both write goes to size-bounded log files in one folder (default `logs/` in the
checkout): `zichtop.log` (the app) and `nginx.log` (the proxy).

    python -m zichtop.hosting.serve --port 8050 [--db data/zichtop.duckdb] [--logs logs]
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.message import Message
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import IO

from zichtop.core.config import REPO_ROOT, Settings
from zichtop.core.errors import ZichtopError

TEMPLATE = Path(__file__).resolve().parent / "nginx.conf"
DEFAULT_LOGS = REPO_ROOT / "logs"
# each log file at most 10 MiB, plus 5 older ones: at most 60 MiB per file, 120 MiB in all
LOG_BYTES = 10 * 1024 * 1024
LOG_BACKUPS = 5
# requests per second and burst per client address (docs/operations.md: an office behind NAT)
RATE = 200
BURST = 1000
# the headers nginx copies from the app's own answer onto the answers it gives itself
APP_HEADERS = ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy",
               "X-Frame-Options")
# used only if the app's answer lacks one: stricter than the app's, never looser
STRICT_HEADERS = {"Content-Security-Policy": "default-src 'none'; base-uri 'none'; "
                                             "form-action 'none'; frame-ancestors 'none'",
                  "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
                  "X-Frame-Options": "DENY"}
# what may be pasted into nginx's config between double quotes (no quote, $, \ or newline)
_HEADER_VALUE = re.compile(r"^[\w '\-;:/+=.,*]+$")
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
# gunicorn's line per request: the app's id (its X-Request-ID answer header) closes it
ACCESS_FORMAT = '%(h)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms request=%({x-request-id}o)s'


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def nginx_binary() -> str:
    found = shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/sbin/nginx") if Path(p).is_file()), None)
    if not found:
        raise ZichtopError("nginx is not installed: `apt-get install nginx-light` (Debian), "
                           "or serve without proxy with `make serve-direct`")
    return found


def security_headers(found: Mapping[str, str] | Message) -> str:
    """nginx `add_header` lines with the app's own security headers (as the app answered), so
    nginx's own error answers carry exactly the same policy."""
    lines = []
    for name in APP_HEADERS:
        value = found.get(name) or ""
        if not _HEADER_VALUE.match(value):
            value = STRICT_HEADERS[name]
        lines.append(f'            add_header {name} "{value}" always;')
    return "\n".join(lines)


def nginx_config(port: int, upstream: int, runtime: Path, *, headers: str = "",
                 rate: int = RATE, burst: int = BURST) -> str:
    as_root = os.geteuid() == 0
    text = TEMPLATE.read_text(encoding="utf-8")
    for token, value in {"@PORT@": str(port), "@UPSTREAM@": str(upstream),
                         "@RUNTIME@": str(runtime), "@RATE@": str(int(rate)),
                         "@BURST@": str(int(burst)),
                         "@SECURITY_HEADERS@": headers or security_headers({}),
                         "@USER@": "user nobody nogroup;" if as_root else ""}.items():
        text = text.replace(token, value)
    return text


def gunicorn_command(port: int, workers: int, threads: int) -> list[str]:
    # access lines to stdout and errors to stderr: both are the pipe LogCopy reads
    return [str(Path(sys.executable).parent / "gunicorn"), "--workers", str(workers),
            "--worker-class", "gthread", "--threads", str(threads),
            "--bind", f"127.0.0.1:{port}", "--no-control-socket", "--timeout", "60",
            "--graceful-timeout", "5", "--limit-request-line", "8190",
            "--access-logfile", "-", "--access-logformat", ACCESS_FORMAT,
            "--error-logfile", "-", "app:server"]


@dataclass(frozen=True)
class LogFiles:
    """Where the hosted set-up writes: `app` gets gunicorn's access and error lines and the
    app's own `zichtop.web` lines; `proxy` gets nginx's access and error lines."""

    app: Path
    proxy: Path

    @classmethod
    def at(cls, folder: Path | None = None, app: Path | None = None) -> LogFiles:
        folder = folder or (app.parent if app else DEFAULT_LOGS)
        return cls(app or folder / "zichtop.log", folder / "nginx.log")


class LogCopy:
    """Copies one process tree's stdout and stderr (one pipe) line by line into a size-bounded
    file. This process is the file's only writer: RotatingFileHandler is not safe with several
    processes (gunicorn's master and workers) rotating the same file, and nginx and gunicorn
    cannot bound their files themselves."""

    def __init__(self, path: Path) -> None:
        # opened before any process starts: a folder we cannot write stops `start` early
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._handler = RotatingFileHandler(path, maxBytes=LOG_BYTES, backupCount=LOG_BACKUPS,
                                            encoding="utf-8")
        self._handler.setFormatter(logging.Formatter("%(message)s"))
        self._thread: threading.Thread | None = None

    def follow(self, stream: IO[bytes]) -> None:
        self._thread = threading.Thread(target=self._copy, args=(stream,), daemon=True,
                                        name=f"log {self.path.name}")
        self._thread.start()

    def _copy(self, stream: IO[bytes]) -> None:
        for raw in stream:
            text = raw.rstrip(b"\r\n").decode("utf-8", "backslashreplace")
            # whatever a process prints stays one line (the app escapes its own lines already)
            text = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
            self._handler.emit(logging.makeLogRecord({"msg": text, "levelno": logging.INFO}))
        stream.close()

    def close(self, timeout: float = 10) -> None:
        """After the processes ended: wait for their last lines (the end of the pipe)."""
        if self._thread is not None:
            self._thread.join(timeout)
        self._handler.close()


def _wait_until_up(url: str, processes: list[subprocess.Popen], log: Path,
                   seconds: float = 60) -> Message:
    """The headers of the first answer (any status) from url."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if any(p.poll() is not None for p in processes):
            raise ZichtopError(f"the server stopped while starting (see {log})")
        try:
            with urllib.request.urlopen(url + "/assets/zichtop.css", timeout=1) as answer:
                return answer.headers
        except urllib.error.HTTPError as error:
            return error.headers  # it answers
        except OSError:
            time.sleep(0.1)
    raise ZichtopError(f"the server did not answer at {url} within {seconds:.0f} s")


@dataclass
class Server:
    """gunicorn behind nginx, on 127.0.0.1:port. `stop()` ends both."""

    url: str
    gunicorn: subprocess.Popen
    nginx: subprocess.Popen | None
    runtime: Path
    upstream_url: str
    logs: LogFiles
    _copies: list[LogCopy] = field(default_factory=list, repr=False)
    _owned_runtime: bool = field(default=False, repr=False)

    def stop(self) -> None:
        running = [p for p in (self.nginx, self.gunicorn) if p is not None]
        for proc in running:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM if proc is self.gunicorn else signal.SIGQUIT)
        for proc in running:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        for copy in self._copies:
            copy.close()
        if self._owned_runtime:
            shutil.rmtree(self.runtime, ignore_errors=True)

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()


def start(port: int, db: Path, *, workers: int = 2, threads: int = 4,
          logs: Path | None = None, log: Path | None = None,
          env: dict[str, str] | None = None, rate: int = RATE, burst: int = BURST) -> Server:
    """Start gunicorn, then nginx in front of it; return once both answer. The logs go to the
    folder `logs` (default DEFAULT_LOGS); `log` names the app's file in another place (the
    proxy's is then written beside it)."""
    files = LogFiles.at(logs, log)
    app_log, proxy_log = LogCopy(files.app), LogCopy(files.proxy)
    runtime = Path(tempfile.mkdtemp(prefix="zichtop-serve-"))
    runtime.chmod(0o755)
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (runtime / sub).mkdir()
        (runtime / sub).chmod(0o1777)  # nginx's workers run as nobody when started by root
    upstream = free_port()
    environment = {**(env if env is not None else os.environ), "ZICHTOP_DB": str(db)}
    try:
        gunicorn = subprocess.Popen(gunicorn_command(upstream, workers, threads),
                                    cwd=REPO_ROOT, env=environment, stdout=subprocess.PIPE,
                                    stderr=subprocess.STDOUT)
    except BaseException:
        app_log.close()
        proxy_log.close()
        shutil.rmtree(runtime, ignore_errors=True)
        raise
    server = Server(f"http://127.0.0.1:{port}", gunicorn, None, runtime,
                    f"http://127.0.0.1:{upstream}", files, [app_log, proxy_log],
                    _owned_runtime=True)
    try:
        assert gunicorn.stdout is not None
        app_log.follow(gunicorn.stdout)
        # nginx answers with the app's own security headers, so the app must answer first
        answer = _wait_until_up(server.upstream_url, [gunicorn], files.app)
        config = runtime / "nginx.conf"
        config.write_text(nginx_config(port, upstream, runtime,
                                       headers=security_headers(answer), rate=rate,
                                       burst=burst), encoding="utf-8")
        # -e: nginx's messages from before it has read its config go to the pipe as well
        server.nginx = subprocess.Popen([nginx_binary(), "-e", "stderr", "-c", str(config),
                                         "-p", str(runtime)],
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        assert server.nginx.stdout is not None
        proxy_log.follow(server.nginx.stdout)
        _wait_until_up(server.url, [gunicorn, server.nginx], files.proxy)
    except BaseException:
        server.stop()
        raise
    return server


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Zichtop achter nginx (gunicorn + nginx)")
    parser.add_argument("--port", type=int, default=8050)
    parser.add_argument("--db", default=None)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--logs", default=str(DEFAULT_LOGS),
                        help="map voor zichtop.log (app) en nginx.log (proxy); standaard "
                             "%(default)s")
    parser.add_argument("--rate", type=int, default=RATE,
                        help="verzoeken per seconde per adres (standaard %(default)s)")
    parser.add_argument("--burst", type=int, default=BURST,
                        help="piek per adres boven --rate (standaard %(default)s)")
    args = parser.parse_args(argv)
    db = Path(args.db) if args.db else Settings.from_env().db_path
    try:
        server = start(args.port, db, workers=args.workers, threads=args.threads,
                       logs=Path(args.logs), rate=args.rate, burst=args.burst)
    except ZichtopError as error:
        print(f"zichtop: fout: {error}", file=sys.stderr)
        return 2
    print(f"Zichtop: {server.url} (nginx -> gunicorn {args.workers}x{args.threads}); "
          f"logs in {Path(args.logs).resolve()}; stop met Ctrl-C", flush=True)
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(1))
    nginx = server.nginx
    try:
        while not stopping and server.gunicorn.poll() is None and nginx is not None \
                and nginx.poll() is None:
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
