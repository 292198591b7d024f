"""`make serve`: the app as it should be hosted. gunicorn (2 workers x 4 threads, read-only store)
listens on a loopback port of its own; nginx (Debian's package, config in
zichtop/hosting/nginx.conf) stands in front with timeouts, a body limit, a rate limit and gzip,
and buffers every request whole before gunicorn sees it. Both are started and stopped together.

    python -m zichtop.hosting.serve --port 8050 [--db data/zichtop.duckdb]
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from zichtop.core.config import REPO_ROOT, Settings
from zichtop.core.errors import ZichtopError

TEMPLATE = Path(__file__).resolve().parent / "nginx.conf"


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


def nginx_config(port: int, upstream: int, runtime: Path) -> str:
    as_root = os.geteuid() == 0
    text = TEMPLATE.read_text(encoding="utf-8")
    for token, value in {"@PORT@": str(port), "@UPSTREAM@": str(upstream),
                         "@RUNTIME@": str(runtime),
                         "@USER@": "user nobody nogroup;" if as_root else ""}.items():
        text = text.replace(token, value)
    return text


def gunicorn_command(port: int, workers: int, threads: int) -> list[str]:
    return [str(Path(sys.executable).parent / "gunicorn"), "--workers", str(workers),
            "--worker-class", "gthread", "--threads", str(threads),
            "--bind", f"127.0.0.1:{port}", "--no-control-socket", "--timeout", "60",
            "--graceful-timeout", "5", "--limit-request-line", "8190", "app:server"]


def _wait_until_up(url: str, processes: list[subprocess.Popen], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if any(p.poll() is not None for p in processes):
            raise ZichtopError("the server stopped while starting (see its log)")
        try:
            urllib.request.urlopen(url + "/assets/zichtop.css", timeout=1).read()
            return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.1)
    raise ZichtopError(f"the server did not answer at {url} within {seconds:.0f} s")


@dataclass
class Server:
    """gunicorn behind nginx, on 127.0.0.1:port. `stop()` ends both."""

    url: str
    gunicorn: subprocess.Popen
    nginx: subprocess.Popen
    runtime: Path
    upstream_url: str
    _owned_runtime: bool = field(default=False, repr=False)

    def stop(self) -> None:
        for proc in (self.nginx, self.gunicorn):
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM if proc is self.gunicorn else signal.SIGQUIT)
        for proc in (self.nginx, self.gunicorn):
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
        if self._owned_runtime:
            shutil.rmtree(self.runtime, ignore_errors=True)

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()


def start(port: int, db: Path, *, workers: int = 2, threads: int = 4,
          log: Path | None = None, env: dict[str, str] | None = None) -> Server:
    """Start gunicorn and nginx in front of it; return once both answer."""
    runtime = Path(tempfile.mkdtemp(prefix="zichtop-serve-"))
    runtime.chmod(0o755)
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (runtime / sub).mkdir()
        (runtime / sub).chmod(0o1777)  # nginx's workers run as nobody when started by root
    upstream = free_port()
    out = log.open("ab") if log else subprocess.DEVNULL
    environment = {**(env if env is not None else os.environ), "ZICHTOP_DB": str(db)}
    gunicorn = subprocess.Popen(gunicorn_command(upstream, workers, threads), cwd=REPO_ROOT,
                                env=environment, stdout=out, stderr=subprocess.STDOUT)
    config = runtime / "nginx.conf"
    config.write_text(nginx_config(port, upstream, runtime), encoding="utf-8")
    try:
        nginx = subprocess.Popen([nginx_binary(), "-c", str(config), "-p", str(runtime)],
                                 stdout=out, stderr=subprocess.STDOUT)
    except BaseException:
        gunicorn.kill()
        raise
    server = Server(f"http://127.0.0.1:{port}", gunicorn, nginx, runtime,
                    f"http://127.0.0.1:{upstream}", _owned_runtime=True)
    try:
        _wait_until_up(server.upstream_url, [gunicorn, nginx])
        _wait_until_up(server.url, [gunicorn, nginx])
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
    args = parser.parse_args(argv)
    db = Path(args.db) if args.db else Settings.from_env().db_path
    try:
        server = start(args.port, db, workers=args.workers, threads=args.threads)
    except ZichtopError as error:
        print(f"zichtop: fout: {error}", file=sys.stderr)
        return 2
    print(f"Zichtop: {server.url} (nginx -> gunicorn {args.workers}x{args.threads}); "
          "stop met Ctrl-C", flush=True)
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(1))
    try:
        while not stopping and server.gunicorn.poll() is None and server.nginx.poll() is None:
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
