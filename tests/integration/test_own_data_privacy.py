"""Own data is private by construction and stateless: after an upload no byte of the file's
area-count pairs is in the store, the log or the temp folder (the request writes no file at
all), the file's name is sent nowhere, and a second, separate worker process answers the same
file identically. The upload has its own body limit (5 MiB); every other request keeps 1 MiB."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tools.browser import free_port, wait_until_up
from zichtop.core.config import REPO_ROOT

# counts no CBS figure of these wijken has: found anywhere, they came from the upload
PAIRS = [("WK0363AA", 7919), ("WK0363AB", 7927), ("WK0363AC", 5933), ("WK0363AD", 3947),
         ("WK0363AE", 4253)]
FILE = ("gebied;periode;aantal;omschrijving\n" +
        "".join(f"{c};2023;{n};Geheime telling\n" for c, n in PAIRS)).encode("utf-8")


def _start(built_db: Path, folder: Path) -> tuple[subprocess.Popen, str, Path, Path]:
    folder.mkdir()
    temp = folder / "tmp"
    temp.mkdir()
    log = folder / "app.log"
    port = free_port()
    proc = subprocess.Popen([sys.executable, str(REPO_ROOT / "app.py"), "--port", str(port)],
                            env={**os.environ, "ZICHTOP_DB": str(built_db), "TMPDIR": str(temp)},
                            cwd=REPO_ROOT, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    assert wait_until_up(url + "/healthz", 30), log.read_text()
    return proc, url, log, temp


def _post(url: str, body: bytes) -> tuple[int, dict]:
    request = urllib.request.Request(url + "/eigen-gegevens/verwerk", data=body, method="POST",
                                     headers={"Content-Type": "application/octet-stream"})
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_nothing_of_the_file_is_kept_and_any_worker_answers(built_db, tmp_path):
    before = _sha(built_db)
    first, url_a, log_a, temp_a = _start(built_db, tmp_path / "a")
    second, url_b, log_b, temp_b = _start(built_db, tmp_path / "b")
    try:
        status, a = _post(url_a, FILE)
        assert status == 200, a
        assert [r["aantal"] for r in a["rijen"] if r["code"] == "WK0363AA"] == [7919]
        status, b = _post(url_b, FILE)  # another process, no shared state
        assert status == 200
        for answer in (a, b):
            answer.pop("csv"), answer.pop("xlsx")  # carry today's date
        assert a == b
    finally:
        for proc in (first, second):
            proc.terminate()
            proc.wait(timeout=10)
    assert _sha(built_db) == before  # the store is untouched
    for log, temp in ((log_a, temp_a), (log_b, temp_b)):
        text = log.read_text()
        for code, count in PAIRS:
            assert str(count) not in text and code not in text, text[-500:]
        assert "Geheime telling" not in text
        assert list(temp.rglob("*")) == []  # nothing written to the temp folder


def test_the_upload_has_its_own_limit_and_the_rest_keeps_theirs(server):
    status, answer = _post(server, b"gebied;periode;aantal\n" + b"1" * (5 * 1024 * 1024 + 10))
    assert status == 413 and "meer dan 5 MiB" in answer["message"]
    request = urllib.request.Request(server + "/_dash-update-component",
                                     data=b"{" + b" " * (2 * 1024 * 1024) + b"}", method="POST",
                                     headers={"Content-Type": "application/json"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    assert refused.value.code == 413
    assert "meer dan 1 MiB" in json.loads(refused.value.read())["message"]
