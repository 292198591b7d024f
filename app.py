"""Zichtop dashboard entry point: `python app.py` (development) or gunicorn `app:server`."""

from __future__ import annotations

import argparse

from zichtop.web.app import create_app

app = create_app()
server = app.server

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Zichtop dashboard")
    parser.add_argument("--port", type=int, default=8050)
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args()
    try:
        from zichtop.read.queries import build_info

        info = build_info()
        print(f"Zichtop: gegevens uit bron '{info['source']}', gebouwd op {info['built_at']}; "
              f"open http://{args.host}:{args.port}", flush=True)
    except Exception as error:  # noqa: BLE001 - the app itself shows the problem in Dutch
        print(f"Zichtop: let op, de database is niet bruikbaar: {error}", flush=True)
    app.run(host=args.host, port=args.port, debug=False)
