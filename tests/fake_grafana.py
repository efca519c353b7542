#!/usr/bin/env python3
"""A stand-in for Grafana's POST /api/annotations, for tests/interop.sh.
Usage: fake_grafana.py PORTFILE LOGFILE TOKEN. Listens on a free port of
127.0.0.1 (written to PORTFILE), checks every request the way Grafana's
API would be used, appends one JSON line per request to LOGFILE
({"ok": bool, "why": ..., "body": ...}) and answers 200 with an id, or
400/401/404 with the reason. Runs until killed."""
import json
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

portfile, logfile, token = sys.argv[1], sys.argv[2], sys.argv[3]
KEYS = {"time", "timeEnd", "tags", "text"}
n = 0


def problems(h, body):
    if h.path != "/api/annotations":
        return 404, "path is %s, not /api/annotations" % h.path
    if h.headers.get("Authorization") != "Bearer " + token:
        return 401, "invalid API key"
    if not (h.headers.get("Content-Type") or "").startswith("application/json"):
        return 400, "Content-Type is %r" % h.headers.get("Content-Type")
    try:
        a = json.loads(body)
    except ValueError as e:
        return 400, "body is not JSON: %s" % e
    if not isinstance(a, dict) or not set(a) <= KEYS or "time" not in a or "text" not in a:
        return 400, "keys are %r" % (sorted(a) if isinstance(a, dict) else a)
    if not isinstance(a["time"], int) or a["time"] < 10**12:
        return 400, "time %r is not epoch milliseconds" % a["time"]
    if "timeEnd" in a and (not isinstance(a["timeEnd"], int) or a["timeEnd"] < a["time"]):
        return 400, "timeEnd %r before time %r" % (a.get("timeEnd"), a["time"])
    if not isinstance(a.get("tags", []), list) or not all(isinstance(t, str) for t in a.get("tags", [])):
        return 400, "tags are not strings"
    if "sloproof" not in a.get("tags", []):
        return 400, "no sloproof tag"
    if not isinstance(a["text"], str) or not a["text"]:
        return 400, "text is empty"
    return 200, None


class H(BaseHTTPRequestHandler):
    def do_POST(self):
        global n
        body = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode("utf-8", "replace")
        code, why = problems(self, body)
        with open(logfile, "a") as f:
            f.write(json.dumps({"ok": code == 200, "why": why, "body": body}) + "\n")
        if code == 200:
            n += 1
            out = json.dumps({"message": "Annotation added", "id": n}).encode()
        else:
            out = json.dumps({"message": why}).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    do_PUT = do_GET = do_POST

    def log_message(self, *a):
        pass


s = HTTPServer(("127.0.0.1", 0), H)
with open(portfile + ".tmp", "w") as f:
    f.write(str(s.server_address[1]))
import os
os.rename(portfile + ".tmp", portfile)
s.serve_forever()
