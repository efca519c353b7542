#!/usr/bin/env python3
"""Writes the Prometheus query_range answers the OpenSLO tests judge, as
`sloproof capture` stores them (one file per query, named after the SLI):
a 20-minute drill, 15 s step, with a Redis outage from 10:12 to 10:14
during which latency rises and 30 % of requests fail. Deterministic (no
randomness): rerun it and the files are the same."""
import json

START = 1795860000  # 2026-11-28T10:00:00Z
STEP = 15
N = 81
FAULT = (START + 12 * 60, START + 14 * 60)


def answer(metric, values):
    return json.dumps({"status": "success", "data": {"resultType": "matrix", "result": [
        {"metric": metric, "values": [[t, v] for t, v in values]}]}}, separators=(",", ":")) + "\n"


lat, total, good = [], [], []
tot = good_n = 0
for i in range(N):
    t = START + i * STEP
    inside = FAULT[0] <= t < FAULT[1]
    wobble = ((i * 37) % 11) / 100.0
    lat.append((t, "%.3f" % ((1.6 + wobble) if inside else (0.21 + wobble))))
    if i:
        tot += 100
        good_n += 70 if inside else (99 if i % 5 else 100)
    total.append((t, str(tot)))
    good.append((t, str(good_n)))

with open("gateway_latency_p95.json", "w") as f:
    f.write(answer({"service": "gateway"}, lat))
with open("gateway_requests_total.json", "w") as f:
    f.write(answer({"service": "gateway"}, total))
with open("gateway_requests_good.json", "w") as f:
    f.write(answer({"service": "gateway"}, good))
