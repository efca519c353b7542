#!/usr/bin/env python3
"""Writes the evidence of the db-failover sample drill (deterministic).

Four k6 runners, as the k6-operator starts them for `parallelism: 4`: one
test start, each runner tagged instance_id=N and job_name=xin-load-N (the
tags the operator passes to `k6 run --tag`), each with its own channel mix
(runner 1 mostly web widget, runner 2 Instagram, runner 3 Telegram and
WhatsApp, runner 4 the slow automation webhooks). A database failover from
minute 4 to 6 triples latency and fails 4 % of requests. Lines as k6 v0.5x
writes them for `--out json=runner-N.ndjson.gz`: a Metric line before a
metric's first Point, local time with its offset. Only the request metrics
the drill needs are written, to keep the sample small.

Also writes grafana/gateway-latency.csv: the gateway's own P95 every 15 s
(Grafana 7 "Download CSV", epoch ms), the server-side view of the same run.

Run from this directory: python3 gen.py
"""
import gzip
import math
import random

START = 1796119200  # 2026-11-30T09:00:00Z (12:30 Tehran)
RUN_S = 600
FAULT = (240, 360)
TZ = 3.5 * 3600

CHANNELS = {  # base latency ms, scenario, url path
    "web": (170, "chat", "/api/widget/message"),
    "instagram": (430, "chat", "/webhooks/instagram"),
    "telegram": (340, "chat", "/webhooks/telegram"),
    "whatsapp": (390, "chat", "/webhooks/whatsapp"),
    "automation": (950, "automation", "/api/automation/run"),
}
RUNNERS = [  # requests per second, channel mix
    (2.0, {"web": 0.85, "instagram": 0.15}),
    (1.2, {"instagram": 0.9, "web": 0.1}),
    (1.0, {"telegram": 0.6, "whatsapp": 0.4}),
    (0.35, {"automation": 1.0}),
]


def stamp(t):
    local = t + TZ
    whole = int(local)
    micro = int(round((local - whole) * 1e6))
    if micro == 1000000:
        whole, micro = whole + 1, 0
    import time
    s = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(whole))
    return "%s.%06d+03:30" % (s, micro)


def metric_line(name, typ, contains):
    return ('{"type":"Metric","data":{"name":"%s","type":"%s","contains":"%s",'
            '"thresholds":[],"submetrics":null},"metric":"%s"}\n' % (name, typ, contains, name))


def point(name, t, value, tags):
    body = ",".join('"%s":"%s"' % kv for kv in sorted(tags.items()))
    return ('{"metric":"%s","type":"Point","data":{"time":"%s","value":%s,"tags":{%s}}}\n'
            % (name, stamp(t), value, body))


def runner(n, rps, mix, rnd):
    out = []
    declared = set()
    chans = sorted(mix)
    weights = [mix[c] for c in chans]
    t = 0.2 * n
    while t < RUN_S:
        c = rnd.choices(chans, weights)[0]
        base, scenario, path = CHANNELS[c]
        faulty = FAULT[0] <= t < FAULT[1]
        ms = base * math.exp(0.55 * rnd.gauss(0, 1))
        if faulty:
            ms *= 3.0
        failed = rnd.random() < (0.04 if faulty else 0.002)
        status = "503" if failed else "200"
        tags = {"channel": c, "expected_response": "false" if failed else "true",
                "group": "", "instance_id": str(n), "job_name": "xin-load-%d" % n,
                "method": "POST", "name": "https://gw.example.com" + path,
                "proto": "HTTP/1.1", "scenario": scenario, "status": status,
                "url": "https://gw.example.com" + path}
        at = START + t + ms / 1000
        for name, typ, contains, value in (
                ("http_reqs", "counter", "default", "1"),
                ("http_req_duration", "trend", "time", "%.3f" % ms),
                ("http_req_failed", "rate", "default", "1" if failed else "0")):
            if name not in declared:
                declared.add(name)
                out.append(metric_line(name, typ, contains))
            out.append(point(name, at, value, tags))
        t += rnd.expovariate(rps)
    path = "k6/runner-%d.ndjson.gz" % n
    with open(path, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as f:
            f.write("".join(out).encode())


def grafana(rnd):
    lines = ['"Time","gateway_latency_p95_seconds"\n']
    for s in range(0, RUN_S, 15):
        faulty = FAULT[0] <= s < FAULT[1]
        v = 0.62 * (1 + 0.06 * rnd.gauss(0, 1))
        if faulty:
            v *= 3.1
        elif FAULT[1] <= s < FAULT[1] + 45:
            v *= 1.8  # the connection pools refill
        lines.append("%d,%.4f\n" % ((START + s) * 1000, v))
    with open("grafana/gateway-latency.csv", "w") as f:
        f.write("".join(lines))


def main():
    rnd = random.Random(20261130)
    for i, (rps, mix) in enumerate(RUNNERS, 1):
        runner(i, rps, mix, rnd)
    grafana(rnd)


main()
