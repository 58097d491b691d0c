"""The failure drills of issue 17 and the cluster benchmarks C1 and C2, run by bench/cluster.py on a
started Cluster (docs/PERFORMANCE.md, "A cluster on one machine", says what each measures and when
it passes)."""
import argparse
import http.client
import json
import os
import random
import statistics
import subprocess
import time
from collections import Counter

import run as bench
from run import Failure, log, machine_busy_s, pct
from cluster_load import (CHANGE_MID, LIMIT, LIMITED_MID, MAIN_MID, ORDERS, SMALL_ORDERS, Load, Stream,
                          classify, expect_single, settled, signed_body, summary)


def main_streams(cl, rate):
    """What the drills keep sending through nginx: single queries, and one in ten card-present."""
    return [Stream("single", cl.nginx.port, MAIN_MID, cl.keys[MAIN_MID], rate=rate * 0.9, threads=4),
            Stream("brushcard", cl.nginx.port, MAIN_MID, cl.keys[MAIN_MID], "/query/brushcard", rate=rate * 0.1, threads=1)]


def failure_span(load):
    secs = [r["s"] for r in load.timeline() if r["failed"]]
    return (min(secs), max(secs)) if secs else None


def drill_kill9(cl, a):
    """kill -9 one node under load: no answer wrong or unsigned; failures only while the balancer
    notices; the survivor keeps serving."""
    victim = cl.nodes[0]
    load = Load(main_streams(cl, a.rate)).start()
    time.sleep(a.settle)
    t_kill = load.now()
    ev0 = len(cl.watchdog.events)
    victim.kill9()
    log(f"kill9: {victim.name} killed at {t_kill:.1f} s")
    time.sleep(a.observe)
    load.stop()
    down_at = next((t - load.t0 for t, name, what in cl.watchdog.events[ev0:] if name == victim.name and what == "down"), None)
    tot = summary(load.totals())
    after = summary(load.totals(start=int(t_kill) + 3))
    span = failure_span(load)
    detect = None if down_at is None else round(down_at - t_kill, 2)
    ok = (tot["wrong"] == 0 and tot["unsigned"] == 0 and after["failed"] == 0 and after["ok"] > 0
          and (span is None or (span[0] >= int(t_kill) and span[1] <= int(t_kill) + 1 + (detect or 0))))
    victim.start()
    cl.wait_in_service(victim)
    return {"pass": ok, "killed_at_s": round(t_kill, 2), "marked_down_after_s": detect, "totals": tot,
            "after_detection": after, "failed_seconds": span, "stale_retries": load.stale_retries, "closed_idle_replaced": load.closed_idle,
            "restart_ready_s": victim.starts[-1], "timeline": load.timeline(), "samples": load.samples,
            "figure": f"{tot['failed']} failed, {tot['wrong']} wrong, {tot['unsigned']} unsigned of "
                      f"{sum(load.totals().values()):,}; taken out after {detect} s; survivor "
                      f"{after['ok'] / max(1, a.observe - 3):.0f} ok/s after ({load.stale_retries} sent again on a connection closed "
                      f"while idle; {load.closed_idle} found closed before use)"}


def drill_rolling(cl, a):
    """Rolling restart with shutdown.drain: zero failed requests."""
    load = Load(main_streams(cl, a.rate)).start()
    time.sleep(a.settle)
    steps = []
    for n in cl.nodes:
        t = load.now()
        rc = n.stop(timeout=30)
        t_stopped = load.now()
        n.start()
        t_ready = load.now()
        cl.wait_in_service(n)
        steps.append({"node": n.name, "sigterm_at_s": round(t, 2), "exited_after_s": round(t_stopped - t, 2),
                      "exit_status": rc, "ready_after_s": round(t_ready - t, 2),
                      "back_in_upstream_after_s": round(load.now() - t, 2)})
        log(f"rolling: {n.name} exited {rc} after {t_stopped - t:.1f} s, back in service after {load.now() - t:.1f} s")
        time.sleep(2)
    load.stop()
    tot = summary(load.totals())
    ok = tot["failed"] == 0 and tot["wrong"] == 0 and tot["unsigned"] == 0
    return {"pass": ok, "steps": steps, "totals": tot, "stale_retries": load.stale_retries, "closed_idle_replaced": load.closed_idle,
            "timeline": load.timeline(), "samples": load.samples,
            "figure": f"{tot['failed']} failed, {tot['wrong']} wrong of {sum(load.totals().values()):,} over "
                      f"{len(steps)} restarts ({load.stale_retries} sent again on a connection closed while idle; "
                      f"{load.closed_idle} found closed before use)"}


def limited_streams(cl, per_node):
    """LIMITED_MID sending per_node/s straight to each node (spread evenly: no balancer choice)."""
    return [Stream(f"limited@{n.name}", n.port, LIMITED_MID, cl.keys[LIMITED_MID], rate=per_node,
                   threads=2, orders=SMALL_ORDERS) for n in cl.nodes]


def accepted_rate(load, start, end):
    """The limited merchant's accepted answers per second over seconds [start, end), all nodes."""
    c = Counter()
    for s in load.streams:
        if s.name.startswith("limited@"):
            c.update(load.totals(s.name, start, end))
    return c["ok"] / max(1, end - start), c


def drill_redis(cl, a):
    """Redis killed and restarted under load: queries keep succeeding; the shared limit falls back to
    each node's own bucket while Redis is away, and is shared again when it is back."""
    load = Load(main_streams(cl, a.rate * 0.6) + limited_streams(cl, a.limited_rate / len(cl.nodes))).start()
    # A bucket allows its burst (LIMIT) on top of its rate: "before" is read over the 3 s before the
    # kill, once the burst is long spent, as "after" starts 3 s after Redis is back (a restarted
    # Redis has forgotten the buckets and hands out a fresh burst).
    time.sleep(a.settle + 4)
    t_kill = load.now()
    cl.redis.kill()
    log(f"redis: killed at {t_kill:.1f} s")
    time.sleep(a.observe)
    t_back = load.now()
    cl.redis.start()
    log(f"redis: back at {t_back:.1f} s")
    time.sleep(a.observe)
    t_end = load.now()
    load.stop()
    before, _ = accepted_rate(load, int(t_kill) - 3, int(t_kill))
    during, _ = accepted_rate(load, int(t_kill) + 2, int(t_back))
    after, _ = accepted_rate(load, int(t_back) + 3, int(t_end))
    main = summary(load.totals("single") + load.totals("brushcard"))
    n = len(cl.nodes)
    within = lambda r: abs(r - LIMIT) <= 0.1 * LIMIT
    checks = {"queries_kept_succeeding": main["failed"] == 0 and main["wrong"] == 0 and main["unsigned"] == 0,
              "shared_limit_before": within(before),
              "fallback_during": 0.9 * LIMIT <= during <= n * LIMIT * 1.1,
              "shared_limit_after": within(after)}
    lim = summary(sum((load.totals(s.name) for s in load.streams if s.name.startswith("limited@")), Counter()))
    return {"pass": all(checks.values()), "checks": checks, "killed_at_s": round(t_kill, 2), "back_at_s": round(t_back, 2),
            "limited_accepted_per_s": {"before": round(before, 1), "during": round(during, 1), "after": round(after, 1)},
            "limited_sent_per_s": a.limited_rate, "main": main, "limited": lim, "stale_retries": load.stale_retries, "closed_idle_replaced": load.closed_idle,
            "timeline": load.timeline(), "samples": load.samples,
            "figure": f"queries {main['ok']:,} ok, {main['failed']} failed, {main['wrong']} wrong; {LIMITED_MID} accepted "
                      f"{before:.0f}/s before, {during:.0f}/s without Redis, {after:.0f}/s after (limit {LIMIT}/s)"}


def drill_postgres(cl, a):
    """PostgreSQL restarted under load: SYSTEM_ERROR quickly while it is down, full service again
    within seconds after, no restart of Leopard."""
    pids = [n.pid for n in cl.nodes]
    load = Load(main_streams(cl, a.rate)).start()
    time.sleep(a.settle)
    t_down = load.now()
    cl.pg.stop("fast")
    t_stopped = load.now()
    log(f"postgres: stopped at {t_stopped:.1f} s")
    time.sleep(a.observe)
    t_start = load.now()
    cl.pg.start()
    t_up = load.now()
    log(f"postgres: accepting again at {t_up:.1f} s")
    time.sleep(a.observe)
    load.stop()
    tl = load.timeline()
    # full service again: the first second from which on nothing failed
    last_fail = max((r["s"] for r in tl if r["failed"]), default=None)
    full_at = (last_fail + 1) if last_fail is not None else None
    recovered_after = None if full_at is None else round(max(0.0, full_at - t_up), 2)
    lat = [x for (s, o), v in load.latency.items() if o == "failed" for x in v]
    down_answers = summary(load.totals(start=int(t_stopped) + 1, end=int(t_start)))
    tot = summary(load.totals())
    same = pids == [n.pid for n in cl.nodes] and all(n.proc and n.proc.poll() is None for n in cl.nodes)
    checks = {"no_wrong_or_unsigned": tot["wrong"] == 0 and tot["unsigned"] == 0,
              "system_error_quickly": bool(lat) and statistics.median(lat) <= 0.1 and max(lat) <= 7.0,
              "answers_while_down_are_system_error": down_answers["ok"] == 0 and set(down_answers["why"]) <= {"failed:SYSTEM_ERROR"},
              "full_service_within_5s": recovered_after is not None and recovered_after <= 5.0,
              "no_leopard_restart": same}
    return {"pass": all(checks.values()), "checks": checks, "stopped_at_s": round(t_stopped, 2),
            "accepting_again_at_s": round(t_up, 2), "full_service_after_s": recovered_after,
            "failed_latency_ms": {"n": len(lat), "p50": round(1000 * statistics.median(lat), 1) if lat else None,
                                  "p99": round(1000 * pct(lat, 0.99), 1) if lat else None,
                                  "max": round(1000 * max(lat), 1) if lat else None},
            "totals": tot, "stale_retries": load.stale_retries, "closed_idle_replaced": load.closed_idle, "timeline": tl, "samples": load.samples,
            "figure": f"{tot['failed']:,} SYSTEM_ERROR/failed while down (p50 "
                      f"{1000 * statistics.median(lat) if lat else 0:.1f} ms, max {1000 * max(lat) if lat else 0:.0f} ms), "
                      f"full service {recovered_after} s after PostgreSQL accepted again, {tot['wrong']} wrong; "
                      f"same Leopard processes: {same}"}


def poll_until(port, mid, key, accept, timeout=10.0):
    """Milliseconds until a signed query straight to one node answers `accept` (checked every ~2 ms)."""
    t0 = time.perf_counter()
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        while time.perf_counter() - t0 < timeout:
            c.request("POST", "/query/single", body=signed_body(mid, key, "BO0000000001"),
                      headers={"Content-Type": "application/x-www-form-urlencoded"})
            r = c.getresponse()
            raw = r.read()
            if accept(r.status, raw):
                return round(1000 * (time.perf_counter() - t0), 1)
            time.sleep(0.002)
    finally:
        c.close()
    return None


def drill_merchant_change(cl, a):
    """A merchant disabled, then its key rotated, through node A's internal API; node B asked
    directly until its answers show the change. Measured from A's answer."""
    node_a, node_b = cl.nodes[0], cl.nodes[1]
    mid, key = CHANGE_MID, cl.keys[CHANGE_MID]
    results = []
    for rnd in range(a.change_rounds):
        node_a.internal("POST", f"/internal/v1/merchants/{mid}/disable")
        ms_disable = poll_until(node_b.port, mid, key, lambda st, raw: classify(st, raw, key, {}) == "disabled")
        node_a.internal("POST", f"/internal/v1/merchants/{mid}/enable")
        ms_enable = poll_until(node_b.port, mid, key, lambda st, raw: classify(st, raw, key, {}) == "ok")
        new = node_a.internal("POST", f"/internal/v1/merchants/{mid}/rotate-key", {"grace": "1h"})["key"]
        ms_rotate = poll_until(node_b.port, mid, new, lambda st, raw: classify(st, raw, new, {}) == "ok")
        key = cl.keys[mid] = new
        results.append({"disable_ms": ms_disable, "enable_ms": ms_enable, "rotate_ms": ms_rotate})
        log(f"merchant change round {rnd + 1}: disabled seen on {node_b.name} after {ms_disable} ms, "
            f"enabled after {ms_enable} ms, new key after {ms_rotate} ms")
        time.sleep(random.uniform(0.1, 0.7))  # land at different points of the other node's refresh
    every = [v for r in results for v in r.values()]
    worst = None if None in every else max(every)
    return {"pass": worst is not None and worst <= 100, "rounds": results, "worst_ms": worst,
            "median_ms": statistics.median([v for v in every if v is not None]) if any(v is not None for v in every) else None,
            "figure": f"worst {worst} ms, median {statistics.median([v for v in every if v is not None]):.0f} ms over "
                      f"{len(every)} changes (disable, enable, rotate-key; target 100 ms)"}


DRILLS = [("kill9", "kill -9 one node under load", drill_kill9),
          ("rolling", "rolling restart (SIGTERM, shutdown.drain)", drill_rolling),
          ("redis", "Redis killed and restarted under load", drill_redis),
          ("postgres", "PostgreSQL restarted under load", drill_postgres),
          ("merchant-change", "merchant change on one node seen by the other", drill_merchant_change)]


# ---------------------------------------------------------------------------------------------
# C1 and C2


def write_bodies(path, mid, key, n):
    with open(path, "w") as f:
        for _ in range(n):
            i = random.randint(1, ORDERS)
            while not settled(i):
                i = random.randint(1, ORDERS)
            f.write(signed_body(mid, key, f"BO{i:010d}") + "\n")


def wrk_round(cl, a, body_file):
    lua = os.path.join(cl.root, "bench", "wrk", "bodies.lua")
    cmd = ["wrk", "-t1", f"-c{a.connections}", f"-d{a.duration}s", "--latency", "-s", lua,
           f"http://127.0.0.1:{cl.nginx.port}", "--", body_file, "/query/single"]
    pids = [n.pid for n in cl.nodes]
    cpu0 = [bench.proc_cpu_s(x) or 0.0 for x in pids]
    b0, t0 = machine_busy_s(), time.monotonic()
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=a.duration + 60)
    wall = time.monotonic() - t0
    busy = (machine_busy_s() - b0) / wall
    node_cpu = sum((bench.proc_cpu_s(x) or 0.0) - c for x, c in zip(pids, cpu0))
    line = next((l for l in p.stdout.splitlines() if l.startswith("WRK_JSON ")), None)
    if p.returncode != 0 or line is None:
        raise Failure(f"wrk failed: {p.stderr.strip()} {p.stdout[-500:]}")
    w = json.loads(line[len("WRK_JSON "):])
    secs = w["duration_us"] / 1e6
    return {"rps": round(w["requests"] / secs, 1), "p50_ms": w["latency_us"]["p50"] / 1000,
            "p99_ms": w["latency_us"]["p99"] / 1000, "errors": sum(w["errors"].values()),
            "bytes_per_response": round(w["bytes"] / max(1, w["requests"]), 1), "machine_cores": round(busy, 2),
            # the nodes' CPU: on a shared machine, answers per node CPU second is steadier than req/s
            "node_cores": round(node_cpu / wall, 2), "per_node_cpu_s": round(w["requests"] / node_cpu) if node_cpu else None}


def bench_c1(cl, a):
    """Signed single queries through nginx: all nodes in the upstream vs one (the others pinned out,
    still running), interleaved rounds, medians."""
    bodies = os.path.join(cl.workdir, "bodies-c1.txt")
    write_bodies(bodies, MAIN_MID, cl.keys[MAIN_MID], 20_000)
    with open(bodies) as f:
        sample = [next(f).strip() for _ in range(20)]
    for body in sample:  # what wrk sends is answered correctly, through nginx, by every node
        c = http.client.HTTPConnection("127.0.0.1", cl.nginx.port, timeout=10)
        c.request("POST", "/query/single", body=body, headers={"Content-Type": "application/x-www-form-urlencoded"})
        r = c.getresponse()
        raw = r.read()
        c.close()
        order = dict(kv.split("=", 1) for kv in body.split("&"))["orderNo"]
        if classify(r.status, raw, cl.keys[MAIN_MID], expect_single(MAIN_MID, int(order[2:]))) != "ok":
            raise Failure(f"C1: a pre-signed body is not answered correctly: {raw[:300]!r}")
    sizes = {"one": [], "all": []}
    log(f"C1: warm-up {a.warmup} s")
    a2 = argparse.Namespace(**{**vars(a), "duration": a.warmup})
    wrk_round(cl, a2, bodies)
    for rnd in range(a.rounds):
        for mode in ("one", "all"):
            cl.watchdog.pinned = {n.idx for n in cl.nodes[1:]} if mode == "one" else set()
            cl.watchdog.apply()
            time.sleep(0.5)
            r = wrk_round(cl, a, bodies)
            sizes[mode].append(r)
            log(f"C1 round {rnd + 1} {mode}: {r['rps']:,.0f} req/s p99 {r['p99_ms']:.1f} ms errors {r['errors']}, "
                f"nodes {r['node_cores']} cores ({r['per_node_cpu_s']} answers per node CPU s), machine {r['machine_cores']} cores")
    cl.watchdog.pinned = set()
    cl.watchdog.apply()
    med = {m: statistics.median(x["rps"] for x in rs) for m, rs in sizes.items()}
    ratio = round(med["all"] / med["one"], 3)
    eff = {m: statistics.median(x["per_node_cpu_s"] or 0 for x in rs) for m, rs in sizes.items()}
    errors = sum(x["errors"] for rs in sizes.values() for x in rs)
    bad = any(x["bytes_per_response"] < 200 for rs in sizes.values() for x in rs)
    # on 2 cores shared by every node, nginx, PostgreSQL and wrk, more nodes cannot add capacity: the
    # check is that spreading the load does not collapse it (below half of one node's)
    return {"pass": errors == 0 and not bad and ratio >= 0.5, "ratio": ratio, "median_rps": med,
            "median_answers_per_node_cpu_s": eff, "rounds": sizes,
            "figure": f"{len(cl.nodes)} nodes {med['all']:,.0f} req/s vs 1 node {med['one']:,.0f} req/s: "
                      f"{ratio} x ({errors} errors; answers per node CPU second {eff['all']:,.0f} vs {eff['one']:,.0f})"}


def bench_c2(cl, a):
    """A merchant limited to 100/s sending 1,000/s spread evenly over the nodes: 100/s ± 10 % accepted."""
    fell_back = redis_fallbacks(cl)
    load = Load(limited_streams(cl, a.c2_rate / len(cl.nodes))).start()
    time.sleep(a.c2_seconds + 2)
    end = int(load.now())
    load.stop()
    # decisions a node made alone because one Redis answer was late (redis.timeout) or failed: each
    # lets that node spend its share without drawing on Redis, so many of them show as excess
    fell_back = redis_fallbacks(cl) - fell_back
    acc, c = accepted_rate(load, 2, end)
    sent = sum(c.values()) / max(1, end - 2)
    s = summary(c)
    ok = abs(acc - LIMIT) <= 0.1 * LIMIT and s["wrong"] == 0 and s["failed"] == 0
    return {"pass": ok, "accepted_per_s": round(acc, 1), "sent_per_s": round(sent, 1), "window_s": end - 2,
            "redis_fallbacks": fell_back, "totals": s, "timeline": load.timeline(),
            "figure": f"sent {sent:,.0f}/s over {len(cl.nodes)} nodes, accepted {acc:.1f}/s (limit {LIMIT}/s ± 10 %); "
                      f"{fell_back:,.0f} decisions made without Redis"}


def redis_fallbacks(cl):
    """leopard_redis_fallbacks_total summed over the nodes, read from each node's own /metrics."""
    total = 0.0
    for n in cl.nodes:
        try:
            c = http.client.HTTPConnection("127.0.0.1", n.port, timeout=5)
            c.request("GET", "/metrics")
            for line in c.getresponse().read().decode().splitlines():
                if line.startswith("leopard_redis_fallbacks_total"):
                    total += float(line.rsplit(" ", 1)[1])
            c.close()
        except OSError:
            pass
    return total
