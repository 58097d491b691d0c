#!/usr/bin/env python3
"""A Leopard cluster on one machine, driven by bench/cluster.sh (which installs nginx and wrk first).

nginx in front of two or three `leopard serve` nodes sharing one private PostgreSQL and one private
Redis, all on loopback and on free ports, in a temporary folder that cluster.sh removes afterwards.

  (default)  start it, seed merchants and orders, print how to query it, stay up until Ctrl-C
  --drill    the failure drills of issue 17 (kill -9 a node, rolling restart, Redis and PostgreSQL
             restarted under load, a merchant change seen by the other node); exit 0 only if all pass
  --bench    C1 (signed single queries through nginx, 2 nodes vs 1) and C2 (a merchant limited to
             100/s sending 1,000/s over both nodes)

nginx has no active health checks in its open-source build, so this script is the health checker: a
watchdog polls every node's /readyz and rewrites the upstream (`down`) and reloads nginx when a node
falls or rises (docs/DECISIONS.md, "A cluster on one machine"). Standard library only; the helpers
shared with the single-server benchmarks are imported from run.py.
"""
import argparse
import base64
import datetime
import http.client
import json
import os
import random
import secrets
import select
import shutil
import signal
import statistics
import string
import subprocess
import sys
import threading
import time
import types
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run as bench  # noqa: E402  (run.py: signing, ports, processes, the order rows of the benchmarks)
from run import Failure, free_port, http_get, log, machine_busy_s, pct, sh, stringa_sign  # noqa: E402

MAIN_MID = bench.MAIN_MID          # the load's merchant: rate opened wide
LIMITED_MID = "100000510983459"   # 100/s: C2, and the Redis drill's "limits fall back and come back"
CHANGE_MID = "100000510983460"    # disabled and rotated on one node, watched on the other
OTHER_MID = bench.OTHER_MIDS[0]   # a second ordinary merchant at the default rate, for people trying it
ORDERS = 10_000                   # BO0000000001... of MAIN_MID, as run.py seeds them
SMALL_ORDERS = 100                # of the other merchants
CARD_ORDERS = 1_000               # BC0000000001...: settled card-present orders of MAIN_MID
TYPES = ["wechat", "alipay", "QQwallet", "netpay", "quickpay", "jd"]
LIMIT = 100                       # LIMITED_MID's rate.per-second and burst


def amount(i):
    cents = 100 + i % 100000
    return f"{cents // 100}.{cents % 100:02d}"


def noise():
    return "".join(random.choice(string.ascii_letters + string.digits) for _ in range(16))


def signed_body(mid, key, order_no):
    fields = {"mid": mid, "orderNo": order_no, "noise": noise()}
    fields["sign"] = stringa_sign(fields, key)
    return "&".join(f"{k}={v}" for k, v in fields.items())


def settled(i):
    """Order i of run.py's scheme is paid unless i % 10 == 0 (pending ones are left out: the sweeper
    may close an old pending order, and the drills check every answer's status)."""
    return i % 10 != 0


# ---------------------------------------------------------------------------------------------
# Verifying answers (PROTOCOL.md sections 2-4)


def classify(status, raw, key, expect):
    """One answer as ok | limited | disabled | failed:<why> | wrong:<why> | unsigned.

    `failed` is what a merchant retries (no answer, an HTTP error, SYSTEM_ERROR); `wrong` is an
    answer that must never happen (a bad signature, another order's data, a refusal of a correctly
    signed request); `unsigned` a success without a signature. Fields the verifier does not know are
    signed too and accepted (PROTOCOL.md 3)."""
    if status != 200:
        return f"failed:http_{status}"
    try:
        ans = json.loads(raw, parse_float=str, parse_int=str)
    except ValueError:
        return "wrong:not_json"
    if not isinstance(ans, dict):
        return "wrong:not_object"
    if ans.get("code") == "FAIL":
        err = ans.get("errCode")
        if err == "SYSTEM_ERROR":
            return "failed:SYSTEM_ERROR"
        if err == "FREQUENCY_LIMITED":
            return "limited"
        if err == "MERCHANT_DISABLED":
            return "disabled"
        return f"wrong:{err}"
    if ans.get("code") != "SUCCESS":
        return "wrong:code"
    if not ans.get("sign"):
        return "unsigned"
    if stringa_sign(ans, key) != ans["sign"].upper():
        return "wrong:sign"
    if ans.get("resultCode") != "SUCCESS":
        return f"wrong:{ans.get('errCode') or 'resultCode'}"
    for k, v in expect.items():
        if ans.get(k) != v:
            return f"wrong:{k}"
    return "ok"


def self_check():
    """The verifier itself, before it judges a drill: a signed answer with a field it does not know
    (and an amount whose literal text matters) is ok; one changed value, or no sign, is not."""
    key, mid = "kx5hd8wq3mzt7rvn2cpb", MAIN_MID
    fields = {"code": "SUCCESS", "msg": "ok", "resultCode": "SUCCESS", "mid": mid, "noise": "n1", "orderNo": "BO0000000007",
              "flowNo": "BF0000000007", "amount": "1.07", "type": TYPES[1], "status": "1", "reqNoise": "abc"}
    signed = dict(fields, sign=stringa_sign(fields, key))
    text = json.dumps(signed).replace('"amount": "1.07"', '"amount": 1.07')
    cases = [(text, "ok"), (text.replace("1.07", "1.70"), "wrong:sign"),
             (json.dumps(fields).replace('"amount": "1.07"', '"amount": 1.07'), "unsigned"),
             (json.dumps({"code": "FAIL", "errCode": "SIGN_ERROR"}), "wrong:SIGN_ERROR"),
             (json.dumps({"code": "FAIL", "errCode": "SYSTEM_ERROR"}), "failed:SYSTEM_ERROR")]
    for raw, want in cases:
        got = classify(200, raw.encode(), key, expect_single(mid, 7))
        if got != want:
            raise Failure(f"the answer verifier is broken: {want} expected, {got} for {raw}")


def expect_single(mid, i):
    return {"mid": mid, "orderNo": f"BO{i:010d}", "status": "1", "amount": amount(i), "type": TYPES[i % 6]}


def expect_card(mid, i):
    return {"mid": mid, "orderNo": f"BC{i:010d}", "payStatus": "1", "orderAmount": amount(i), "succAmount": amount(i)}


# ---------------------------------------------------------------------------------------------
# The private database and Redis


class PrivatePostgres:
    """initdb + pg_ctl in the run's folder, on its own port and socket folder; as the `postgres`
    user when run as root (PostgreSQL refuses to run as root)."""

    def __init__(self, workdir, port):
        self.dir = os.path.join(workdir, "pg")
        self.data = os.path.join(self.dir, "data")
        self.log = os.path.join(self.dir, "postgres.log")
        self.port = port
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def init(self):
        os.makedirs(self.dir)
        if self.as_user:
            shutil.chown(self.dir, "postgres", "postgres")
        sh(self.as_user + ["initdb", "-D", self.data, "-U", "postgres", "-A", "trust", "-E", "UTF8",
                           "--no-sync", "--no-instructions"], timeout=120)
        self.start()
        self.psql("CREATE DATABASE leopard")

    def start(self):
        opts = (f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off -c max_connections=100 -c shared_buffers=64MB")
        sh(self.as_user + ["pg_ctl", "-D", self.data, "-l", self.log, "-o", opts, "-w", "-t", "60", "start"], timeout=90)

    def stop(self, mode="fast"):
        if os.path.exists(os.path.join(self.data, "postmaster.pid")):
            sh(self.as_user + ["pg_ctl", "-D", self.data, "-m", mode, "-w", "-t", "60", "stop"], timeout=90, check=False)

    def psql(self, sql, db="postgres"):
        return sh(["psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", db, "-v",
                   "ON_ERROR_STOP=1", "-q", "-X", "-At"], input=sql, timeout=600).stdout

    @property
    def url(self):
        return f"jdbc:postgresql://127.0.0.1:{self.port}/leopard?user=postgres"


class PrivateRedis:
    def __init__(self, cluster, port):
        self.cluster, self.port, self.proc = cluster, port, None

    def start(self):
        out = open(os.path.join(self.cluster.workdir, "redis.log"), "ab")
        self.proc = subprocess.Popen(["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
                                      "--save", "", "--appendonly", "no", "--daemonize", "no"],
                                     stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        out.close()
        self.cluster.remember_pid(self.proc.pid)
        for _ in range(200):
            if sh(["redis-cli", "-p", str(self.port), "ping"], check=False, timeout=5).stdout.strip() == "PONG":
                return
            time.sleep(0.05)
        raise Failure("redis-server did not answer PING")

    def kill(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)
        self.proc = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}"


# ---------------------------------------------------------------------------------------------
# Nodes and the balancer


class Node:
    def __init__(self, cluster, idx):
        self.cluster, self.idx, self.name = cluster, idx, f"node{idx + 1}"
        self.dir = os.path.join(cluster.workdir, self.name)
        os.makedirs(self.dir, exist_ok=True)
        self.port = free_port(cluster.port_base + 10 * idx)
        self.internal_port = free_port(self.port + 1)
        self.config = os.path.join(self.dir, "leopard.properties")
        self.proc = None
        self.starts = []
        with open(self.config, "w") as f:
            f.write("\n".join([
                f"data-dir={os.path.join(self.dir, 'data')}", "host=127.0.0.1", f"port={self.port}",
                f"internal.port={self.internal_port}", f"db.url={cluster.pg.url}",
                # the balancer's health checks run every 0.25 s and take a node out after 2 failures
                f"shutdown.drain={cluster.args.drain}", "shutdown.grace=5s",
                "trusted-proxies=127.0.0.1/32",
                # every request comes from 127.0.0.1 (nginx, or the drills going to a node directly)
                "http.max-connections-per-address=1024",
            ]) + "\n")

    def start(self, wait=True):
        out = open(os.path.join(self.dir, "server.log"), "ab")
        t0 = time.monotonic()
        self.proc = subprocess.Popen([self.cluster.launcher, "serve", "--config", self.config],
                                     stdout=out, stderr=subprocess.STDOUT, env=self.cluster.node_env,
                                     start_new_session=True)
        out.close()
        self.cluster.remember_pid(self.proc.pid)
        if wait:
            self.wait_ready(t0)

    def wait_ready(self, t0=None):
        t0 = t0 or time.monotonic()
        while http_get(self.port, "/readyz", timeout=0.5) != 200:
            if self.proc.poll() is not None:
                raise Failure(f"{self.name} exited with {self.proc.returncode}; see {self.dir}/server.log")
            if time.monotonic() - t0 > 120:
                raise Failure(f"{self.name} not ready after 120 s; see {self.dir}/server.log")
            time.sleep(0.05)
        self.starts.append(round(time.monotonic() - t0, 2))

    def stop(self, timeout=30):
        """SIGTERM: /readyz fails, the node drains for shutdown.drain, finishes in-flight requests."""
        if self.proc is None or self.proc.poll() is not None:
            self.proc = None
            return None
        self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = self.proc.wait(timeout=10)
        self.proc = None
        return rc

    def kill9(self):
        self.proc.kill()  # the launcher execs the JVM: this is the JVM
        self.proc.wait(timeout=10)
        self.proc = None

    @property
    def pid(self):
        return self.proc.pid if self.proc else None

    def internal(self, method, path, body=None):
        c = http.client.HTTPConnection("127.0.0.1", self.internal_port, timeout=10)
        try:
            c.request(method, path, body=json.dumps(body) if body is not None else None,
                      headers={"Content-Type": "application/json", "Authorization": f"Bearer {self.cluster.token}"})
            r = c.getresponse()
            raw = r.read()
        finally:
            c.close()
        if r.status >= 300:
            raise Failure(f"{self.name}: {method} {path} answered {r.status}: {raw[:300]!r}")
        return json.loads(raw) if raw else None


QUERY_PATHS = ("single", "multi", "brushcard", "events")


class Nginx:
    """nginx in the foreground (daemon off), its configuration rewritten and reloaded (SIGHUP) when
    the watchdog takes a node out or puts it back."""

    def __init__(self, cluster, port):
        self.cluster, self.port, self.proc = cluster, port, None
        self.dir = os.path.join(cluster.workdir, "nginx")
        os.makedirs(os.path.join(self.dir, "logs"), exist_ok=True)
        self.conf = os.path.join(self.dir, "nginx.conf")
        self.lock = threading.Lock()
        self.down = set()
        self.reloads = 0

    def render(self):
        servers = "\n".join(
            f"        server 127.0.0.1:{n.port} max_fails=1 fail_timeout=2s{' down' if n.idx in self.down else ''};"
            for n in self.cluster.nodes)
        d = self.dir
        user = "user root;\n" if os.geteuid() == 0 else ""  # workers write the temp folders of the run's own tree
        return f"""# generated by bench/cluster.py; docs/OPERATIONS.md has the production version
{user}worker_processes 1;
pid {d}/nginx.pid;
error_log {d}/logs/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {d}/client_body; proxy_temp_path {d}/proxy;
    fastcgi_temp_path {d}/fastcgi; uwsgi_temp_path {d}/uwsgi; scgi_temp_path {d}/scgi;
    upstream leopard {{
{servers}
        keepalive 64;              # idle kept-alive connections to the nodes, per worker
        keepalive_timeout 60s;     # below the nodes' http.idle-timeout (75 s)
    }}
    server {{
        listen 127.0.0.1:{self.port} backlog=4096;
        keepalive_timeout 65s;
        keepalive_requests 100000;
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Request-Id $request_id;
        proxy_connect_timeout 500ms;
        # above a node's worst answer during a database outage (db.connect-timeout + db.query-timeout + 1 s)
        proxy_read_timeout 10s;
        proxy_send_timeout 10s;
        # queries only read: safe to send again to the next node when one fails or cannot be reached
        location ~ ^/query/({'|'.join(QUERY_PATHS)})$ {{
            proxy_pass http://leopard;
            proxy_next_upstream error timeout http_502 http_503 non_idempotent;
            proxy_next_upstream_tries 3;
            proxy_next_upstream_timeout 12s;
        }}
        location = /metrics {{ return 404; }}
        location / {{
            proxy_pass http://leopard;
            proxy_next_upstream error timeout;
        }}
    }}
}}
"""

    def write(self):
        with open(self.conf, "w") as f:
            f.write(self.render())

    def start(self):
        self.write()
        sh(["nginx", "-t", "-q", "-p", self.dir, "-c", self.conf], timeout=30)
        out = open(os.path.join(self.dir, "logs", "stderr.log"), "ab")
        self.proc = subprocess.Popen(["nginx", "-p", self.dir, "-c", self.conf, "-g", "daemon off;"],
                                     stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        out.close()
        self.cluster.remember_pid(self.proc.pid)
        for _ in range(200):
            if http_get(self.port, "/healthz", timeout=0.5) == 200:
                return
            if self.proc.poll() is not None:
                raise Failure(f"nginx exited with {self.proc.returncode}; see {self.dir}/logs")
            time.sleep(0.05)
        raise Failure("nginx does not answer /healthz")

    def set_down(self, down):
        with self.lock:
            down = set(down)
            if down == self.down:
                return False
            self.down = down
            self.write()
            self.proc.send_signal(signal.SIGHUP)
            self.reloads += 1
            return True

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGQUIT)  # graceful
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        self.proc = None


class Watchdog:
    """The balancer's active health check: GET /readyz on every node every `interval`; a node is taken
    out of the upstream after `fall` failures in a row and put back after `rise` successes. The last
    ready node is never taken out, and when no node is ready all of them stay in (a node answering
    SYSTEM_ERROR during a database outage beats nginx answering 502)."""

    def __init__(self, cluster, interval=0.25, fall=2, rise=2):
        self.cluster, self.interval, self.fall, self.rise = cluster, interval, fall, rise
        self.pinned = set()   # taken out by hand (C1's one-node rounds), whatever /readyz says
        self.events = []      # (monotonic time, node name, "down" | "up")
        self.stop_ev = threading.Event()
        self.thread = threading.Thread(target=self.loop, daemon=True)
        self.fails = {}
        self.oks = {}
        self.ready = {}

    def start(self):
        for n in self.cluster.nodes:
            self.ready[n.idx] = True
        self.thread.start()

    def loop(self):
        nodes = self.cluster.nodes
        while not self.stop_ev.is_set():
            for n in nodes:
                ok = http_get(n.port, "/readyz", timeout=0.5) == 200
                if ok:
                    self.oks[n.idx], self.fails[n.idx] = self.oks.get(n.idx, 0) + 1, 0
                    if not self.ready[n.idx] and self.oks[n.idx] >= self.rise:
                        self.ready[n.idx] = True
                        self.events.append((time.monotonic(), n.name, "up"))
                else:
                    self.fails[n.idx], self.oks[n.idx] = self.fails.get(n.idx, 0) + 1, 0
                    if self.ready[n.idx] and self.fails[n.idx] >= self.fall:
                        self.ready[n.idx] = False
                        self.events.append((time.monotonic(), n.name, "down"))
            self.apply()
            self.stop_ev.wait(self.interval)

    def apply(self):
        down = {i for i, r in self.ready.items() if not r} | self.pinned
        if len(down) >= len(self.cluster.nodes):
            down = set(self.pinned)  # nothing is ready: keep every node in
        self.cluster.nginx.set_down(down)

    def in_service(self, node):
        return node.idx not in self.cluster.nginx.down

    def stop(self):
        self.stop_ev.set()
        if self.thread.is_alive():
            self.thread.join(timeout=5)


# ---------------------------------------------------------------------------------------------
# Load with verified answers


class Stream:
    """One kind of request: a merchant, an endpoint, where to (nginx or one node), how often."""

    def __init__(self, name, port, mid, key, path="/query/single", rate=100.0, threads=2, orders=ORDERS):
        self.name, self.port, self.mid, self.key, self.path = name, port, mid, key, path
        self.rate, self.threads, self.orders = rate, threads, orders

    def request(self):
        if self.path == "/query/brushcard":
            i = random.randint(1, CARD_ORDERS)
            return signed_body(self.mid, self.key, f"BC{i:010d}"), expect_card(self.mid, i)
        i = random.randint(1, self.orders - 1)
        i += 0 if settled(i) else 1
        return signed_body(self.mid, self.key, f"BO{i:010d}"), expect_single(self.mid, i)


class Load:
    """Python threads, each on one kept-alive connection, sending paced signed requests and
    classifying every answer (`classify`) into per-second buckets. A request that fails on a reused
    connection before any answer (the other end closed it while idle: nginx's old worker after a
    reload, a node closing its idle connections) is sent once more on a fresh connection, as HTTP
    clients do (RFC 9112 9.3.1); those retries are counted, never hidden. An idle connection that is
    already readable (closed by the other end) is replaced before sending, as curl does."""

    def __init__(self, streams):
        self.streams = streams
        self.stop_ev = threading.Event()
        self.lock = threading.Lock()
        self.buckets = {}     # (stream, second) -> Counter
        self.latency = {}     # (stream, outcome) -> [seconds]
        self.stale_retries = 0
        self.closed_idle = 0  # idle connections found closed before a request was sent on them
        self.samples = []     # first few wrong answers, for the report
        self.t0 = None
        self.workers = []

    def start(self):
        self.t0 = time.monotonic()
        for s in self.streams:
            for k in range(s.threads):
                t = threading.Thread(target=self.work, args=(s, s.rate / s.threads, k), daemon=True)
                self.workers.append(t)
                t.start()
        return self

    def now(self):
        return time.monotonic() - self.t0

    def stop(self):
        self.stop_ev.set()
        for t in self.workers:
            t.join(timeout=20)

    def record(self, s, at, outcome, took, raw=None):
        with self.lock:
            self.buckets.setdefault((s.name, int(at)), Counter())[outcome] += 1
            self.latency.setdefault((s.name, outcome.split(":")[0]), []).append(took)
            if outcome.startswith(("wrong", "unsigned")) and len(self.samples) < 10:
                self.samples.append({"stream": s.name, "at_s": round(at, 2), "outcome": outcome,
                                     "answer": (raw or b"")[:300].decode("utf-8", "replace")})

    def work(self, s, rate, k):
        conn, used = None, 0
        nxt = time.monotonic() + random.random() / rate
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        while not self.stop_ev.is_set():
            now = time.monotonic()
            if nxt > now:
                time.sleep(nxt - now)
            nxt = max(nxt + 1 / rate, time.monotonic() - 0.05)  # no catching up in bursts after a stall
            body, expect = s.request()
            t = time.monotonic()
            at = t - self.t0
            outcome, raw = None, None
            for attempt in (1, 2):
                if conn is not None and conn.sock is not None and select.select([conn.sock], [], [], 0)[0]:
                    # readable while idle: the other end has closed it (as curl and pooling clients check before reuse)
                    conn.close()
                    conn = None
                    with self.lock:
                        self.closed_idle += 1
                if conn is None:
                    conn, used = http.client.HTTPConnection("127.0.0.1", s.port, timeout=15), 0
                try:
                    conn.request("POST", s.path, body=body, headers=headers)
                    r = conn.getresponse()
                    raw = r.read()
                    used += 1
                    outcome = classify(r.status, raw, s.key, expect)
                    if r.getheader("Connection", "").lower() == "close":
                        conn.close()
                        conn = None
                    break
                except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError) as e:
                    conn.close()
                    conn = None
                    if used > 0 and attempt == 1:
                        with self.lock:
                            self.stale_retries += 1
                        continue
                    outcome = f"failed:{type(e).__name__}"
                    break
                except (OSError, http.client.HTTPException) as e:
                    conn.close()
                    conn = None
                    outcome = f"failed:{type(e).__name__}"
                    break
            self.record(s, at, outcome, time.monotonic() - t, raw)
        if conn:
            conn.close()

    # -- figures

    def totals(self, stream=None, start=None, end=None):
        c = Counter()
        for (name, sec), cnt in self.buckets.items():
            if (stream is None or name == stream) and (start is None or sec >= start) and (end is None or sec < end):
                c.update(cnt)
        return c

    def timeline(self, stream=None):
        """Per second: ok, failed, wrong, unsigned, limited, disabled."""
        secs = sorted({sec for (name, sec) in self.buckets if stream is None or name == stream})
        rows = []
        for sec in secs:
            c = self.totals(stream, sec, sec + 1)
            rows.append({"s": sec, **summary(c)})
        return rows


def summary(c):
    out = {"ok": c["ok"], "failed": 0, "wrong": 0, "unsigned": c["unsigned"], "limited": c["limited"],
           "disabled": c["disabled"]}
    for k, v in c.items():
        if k.startswith("failed"):
            out["failed"] += v
        elif k.startswith("wrong"):
            out["wrong"] += v
    out["why"] = {k: v for k, v in c.items() if k.startswith(("failed", "wrong"))}
    return out


# ---------------------------------------------------------------------------------------------
# The cluster


class Cluster:
    def __init__(self, args):
        self.args = args
        self.root = args.root
        self.launcher = os.path.join(self.root, "leopard")
        self.workdir = args.workdir
        os.chmod(self.workdir, 0o711)  # the postgres user must reach its own folder inside
        self.port_base = args.port_base
        self.pid_file = args.pid_file
        self.token = secrets.token_urlsafe(32)
        self.master_key = base64.b64encode(secrets.token_bytes(32)).decode()
        self.keys = {}
        self.load_start = os.getloadavg()
        self.pg = PrivatePostgres(self.workdir, free_port(args.port_base + 400))
        self.redis = PrivateRedis(self, free_port(args.port_base + 410))
        self.node_env = dict(os.environ, LEOPARD_MASTER_KEY=self.master_key, LEOPARD_INTERNAL_TOKENS=self.token,
                             LEOPARD_REDIS_URL=self.redis.url, LEOPARD_CLUSTER_EXPECTED_NODES=str(args.nodes))
        self.node_env.pop("LEOPARD_DATA_DIR", None)
        self.nodes = [Node(self, i) for i in range(args.nodes)]
        self.nginx = Nginx(self, free_port(args.port_base + 300))
        self.watchdog = Watchdog(self)

    def remember_pid(self, pid):
        if self.pid_file:
            with open(self.pid_file, "a") as f:
                f.write(f"{pid}\n")

    def start(self):
        t = time.monotonic()
        log(f"private PostgreSQL on 127.0.0.1:{self.pg.port} ...")
        self.pg.init()
        log(f"private Redis on 127.0.0.1:{self.redis.port} ...")
        self.redis.start()
        log(f"{self.nodes[0].name} on :{self.nodes[0].port} (creates the schema) ...")
        self.nodes[0].start()
        for n in self.nodes[1:]:
            log(f"{n.name} on :{n.port} ...")
            n.start(wait=False)
        self.seed()
        for n in self.nodes[1:]:
            n.wait_ready()
        log(f"nginx on 127.0.0.1:{self.nginx.port} ...")
        self.nginx.start()
        self.watchdog.start()
        self.wait_merchants_everywhere()
        log(f"cluster up in {time.monotonic() - t:.1f} s")

    def seed(self):
        n0 = self.nodes[0]
        for mid, name in [(MAIN_MID, "cluster load merchant"), (OTHER_MID, "cluster merchant (default rate)"),
                          (LIMITED_MID, f"cluster merchant limited to {LIMIT}/s"), (CHANGE_MID, "cluster merchant changed by a drill")]:
            key = "".join(random.choice(string.ascii_lowercase + string.digits) for _ in range(20))
            n0.internal("POST", "/internal/v1/merchants", {"mid": mid, "name": name, "key": key})
            self.keys[mid] = key
        n0.internal("PUT", f"/internal/v1/merchants/{MAIN_MID}/rate", {"perSecond": 1_000_000, "burst": 1_000_000})
        n0.internal("PUT", f"/internal/v1/merchants/{LIMITED_MID}/rate", {"perSecond": LIMIT, "burst": LIMIT})
        shim = types.SimpleNamespace(kind="pg")  # run.py's rows, written for PostgreSQL
        sql = ["SET synchronous_commit = off;", "BEGIN;",
               bench.Target.insert_select(shim, MAIN_MID, ORDERS, "BF", f"generate_series(1, {ORDERS}) AS i")]
        for k, mid in enumerate([OTHER_MID, LIMITED_MID, CHANGE_MID]):
            sql.append(bench.Target.insert_select(shim, mid, SMALL_ORDERS, f"X{k}F", f"generate_series(1, {SMALL_ORDERS}) AS i"))
        sql.append(f"""INSERT INTO orders (flow_no, mid, order_no, trade_no, amount, pay_type, scene, state, order_time, pay_time)
SELECT 'BCF' || lpad(i::text, 10, '0'), '{MAIN_MID}', 'BC' || lpad(i::text, 10, '0'), 'BCT' || lpad(i::text, 10, '0'),
  ((100 + i % 100000) / 100.0)::numeric(18,2), 'wechat', 'brushcard', 'SUCCESS',
  timestamp '2016-11-10 02:10:10' + i * interval '1 second', timestamp '2016-11-10 02:10:40' + i * interval '1 second'
FROM generate_series(1, {CARD_ORDERS}) AS i;""")
        sql += ["COMMIT;", "ANALYZE orders;"]
        self.pg.psql("\n".join(sql), db="leopard")
        with open(os.path.join(self.workdir, "merchant-keys.json"), "w") as f:
            json.dump(self.keys, f, indent=1)

    def wait_merchants_everywhere(self):
        """Nodes other than the first learn the merchants within merchant-refresh (2 s)."""
        t = time.monotonic()
        for n in self.nodes:
            for mid in (MAIN_MID, LIMITED_MID, CHANGE_MID):
                while True:
                    st, raw = query(n.port, mid, self.keys[mid], "BO0000000001")
                    if classify(st, raw, self.keys[mid], {}) in ("ok", "limited"):
                        break
                    if time.monotonic() - t > 30:
                        raise Failure(f"{n.name} does not know merchant {mid} after 30 s: {raw[:200]!r}")
                    time.sleep(0.1)

    def ensure_running(self):
        """After a drill that failed half-way: every node, Redis and PostgreSQL up again."""
        try:
            if not os.path.exists(os.path.join(self.pg.data, "postmaster.pid")):
                self.pg.start()
            if self.redis.proc is None or self.redis.proc.poll() is not None:
                self.redis.start()
            for n in self.nodes:
                if n.proc is None or n.proc.poll() is not None:
                    n.start()
                self.wait_in_service(n)
        except Exception as e:
            log(f"could not bring the cluster back after a failed drill: {e}")

    def wait_in_service(self, node, timeout=30):
        t = time.monotonic()
        while not self.watchdog.in_service(node):
            if time.monotonic() - t > timeout:
                raise Failure(f"{node.name} not back in the upstream after {timeout} s")
            time.sleep(0.05)

    def teardown(self):
        steps = [("the watchdog", self.watchdog.stop), ("nginx", self.nginx.stop)]
        steps += [(n.name, lambda n=n: n.stop(timeout=20)) for n in self.nodes]
        steps += [("redis", self.redis.kill), ("postgres", lambda: self.pg.stop("fast"))]
        for name, step in steps:  # each on its own: one that fails must not leave the rest running
            try:
                step()
            except Exception as e:
                log(f"could not stop {name}: {e}")

    def show_logs(self):
        for n in self.nodes:
            p = os.path.join(n.dir, "server.log")
            if os.path.exists(p):
                with open(p, "rb") as f:
                    f.seek(max(0, os.path.getsize(p) - 3000))
                    log(f"--- tail of {n.name}/server.log ---\n" + f.read().decode("utf-8", "replace"))


def query(port, mid, key, order_no, path="/query/single", timeout=5):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        c.request("POST", path, body=signed_body(mid, key, order_no),
                  headers={"Content-Type": "application/x-www-form-urlencoded"})
        r = c.getresponse()
        return r.status, r.read()
    except (OSError, http.client.HTTPException) as e:
        return None, str(e).encode()
    finally:
        c.close()


# ---------------------------------------------------------------------------------------------
# The drills


def main_streams(cl, rate):
    """What the drills keep sending through nginx: single queries, and one in ten card-present."""
    return [Stream("single", cl.nginx.port, MAIN_MID, cl.keys[MAIN_MID], rate=rate * 0.9, threads=4),
            Stream("brushcard", cl.nginx.port, MAIN_MID, cl.keys[MAIN_MID], "/query/brushcard", rate=rate * 0.1, threads=1)]


def failure_span(load, events_after=0):
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
    c = Counter()
    for n in range(len([s for s in load.streams if s.name.startswith("limited@")])):
        c.update(load.totals(f"limited@node{n + 1}", start, end))
    return c["ok"] / max(1, end - start), c


def drill_redis(cl, a):
    """Redis killed and restarted under load: queries keep succeeding; the shared limit falls back to
    each node's own bucket while Redis is away, and is shared again when it is back."""
    load = Load(main_streams(cl, a.rate * 0.6) + limited_streams(cl, a.limited_rate / len(cl.nodes))).start()
    time.sleep(a.settle + 2)
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
    before, _ = accepted_rate(load, 2, int(t_kill))
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
    load = Load(limited_streams(cl, a.c2_rate / len(cl.nodes))).start()
    time.sleep(a.c2_seconds + 2)
    end = int(load.now())
    load.stop()
    acc, c = accepted_rate(load, 2, end)
    sent = sum(c.values()) / max(1, end - 2)
    s = summary(c)
    ok = abs(acc - LIMIT) <= 0.1 * LIMIT and s["wrong"] == 0 and s["failed"] == 0
    return {"pass": ok, "accepted_per_s": round(acc, 1), "sent_per_s": round(sent, 1), "window_s": end - 2,
            "totals": s, "timeline": load.timeline(),
            "figure": f"sent {sent:,.0f}/s over {len(cl.nodes)} nodes, accepted {acc:.1f}/s (limit {LIMIT}/s ± 10 %)"}


# ---------------------------------------------------------------------------------------------
# Modes


def banner(cl):
    url = f"http://127.0.0.1:{cl.nginx.port}"
    mid, key = MAIN_MID, cl.keys[MAIN_MID]
    body = signed_body(mid, key, "BO0000000001")
    lines = ["", f"Leopard cluster: nginx {url} -> " + ", ".join(f"{n.name} :{n.port} (internal :{n.internal_port})" for n in cl.nodes),
             f"PostgreSQL 127.0.0.1:{cl.pg.port} (database leopard, user postgres), Redis {cl.redis.url}",
             f"folder {cl.workdir} (removed when this stops)", "", "merchants (mid key):"]
    for m, k in cl.keys.items():
        lines.append(f"  {m} {k}" + {MAIN_MID: "  rate open", LIMITED_MID: f"  {LIMIT}/s", CHANGE_MID: "", OTHER_MID: "  default rate"}[m])
    lines += [f"orders: BO0000000001..BO{ORDERS:010d} of {MAIN_MID} (one in ten pending), BC0000000001..BC{CARD_ORDERS:010d} "
              f"card-present; BO0000000001..BO{SMALL_ORDERS:010d} of the others", "",
              "a signed query through nginx:",
              f"  curl -s -X POST {url}/query/single -d '{body}'",
              "with the SDK (./build-sdk first):",
              f"  java -jar sdk-demo/target/leopard-demo.jar --url {url} --mid {mid} --key {key} single BO0000000002",
              f"internal API (token {cl.token}):",
              f"  curl -s -H 'Authorization: Bearer {cl.token}' http://127.0.0.1:{cl.nodes[0].internal_port}/internal/v1/merchants",
              "", "Ctrl-C stops and removes everything."]
    print("\n".join(lines), flush=True)


def table(results, title):
    lines = [title, "", "| drill | measured | PASS/FAIL |", "|---|---|---|"]
    for key, label, r in results:
        lines.append(f"| {key}: {label} | {r.get('figure', r.get('error', ''))} | {'PASS' if r.get('pass') else 'FAIL'} |")
    return "\n".join(lines)


def write_results(cl, a, kind, results, tbl, started):
    out_dir = os.path.join(cl.root, "bench", "results")
    os.makedirs(out_dir, exist_ok=True)
    stamp = started.strftime("%Y%m%dT%H%M%SZ")
    path = os.path.join(out_dir, f"cluster-{kind}-{stamp}.json")
    doc = {"started_utc": started.isoformat(), "finished_utc": datetime.datetime.now(datetime.timezone.utc).isoformat(),
           "settings": {k: v for k, v in vars(a).items() if k not in ("pid_file", "workdir", "root")},
           "load_average_start": cl.load_start, "load_average_end": os.getloadavg(), "nproc": os.cpu_count(),
           "git": subprocess.run(["git", "-C", cl.root, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip(),
           "nodes": {n.name: {"port": n.port, "starts_s": n.starts} for n in cl.nodes},
           "nginx_reloads": cl.nginx.reloads,
           "watchdog_events": [(round(t, 2), n, w) for t, n, w in cl.watchdog.events],
           "results": {k: r for k, _, r in results}, "table": tbl}
    with open(path, "w") as f:
        json.dump(doc, f, indent=1)
    return path


def main():
    p = argparse.ArgumentParser(prog="bench/cluster.sh", description="A Leopard cluster behind nginx, its drills and benchmarks")
    p.add_argument("--root", required=True, help=argparse.SUPPRESS)
    p.add_argument("--workdir", required=True, help=argparse.SUPPRESS)
    p.add_argument("--pid-file", help=argparse.SUPPRESS)
    p.add_argument("--nodes", type=int, choices=(2, 3), default=2, help="Leopard nodes (default 2)")
    p.add_argument("--drill", action="store_true", help="run the failure drills; exit 0 only if all pass")
    p.add_argument("--only", help="with --drill: comma-separated drills to run (" + ",".join(k for k, _, _ in DRILLS) + ")")
    p.add_argument("--bench", action="store_true", help="C1 (2 nodes vs 1 through nginx) and C2 (shared 100/s limit)")
    p.add_argument("--port-base", type=int, default=19080, help="first port to try (default 19080)")
    p.add_argument("--drain", default="2s", help="the nodes' shutdown.drain (default 2s)")
    p.add_argument("--rate", type=float, default=300, help="drills: requests/s through nginx (default 300)")
    p.add_argument("--limited-rate", type=float, help="Redis drill: the limited merchant's requests/s over all nodes "
                   "(default 150 per node: above the limit on every node, so each node's own bucket shows while Redis is away)")
    p.add_argument("--settle", type=float, default=4, help="drills: seconds of load before the fault (default 4)")
    p.add_argument("--observe", type=float, default=8, help="drills: seconds watched after the fault (default 8)")
    p.add_argument("--change-rounds", type=int, default=5, help="merchant-change drill: rounds (default 5)")
    p.add_argument("--rounds", type=int, default=5, help="C1: interleaved rounds (default 5)")
    p.add_argument("--duration", type=int, default=10, help="C1: seconds per round (default 10)")
    p.add_argument("--warmup", type=int, default=15, help="C1: warm-up seconds, all nodes in (default 15)")
    p.add_argument("--connections", type=int, default=32, help="C1: wrk connections (default 32)")
    p.add_argument("--c2-rate", type=float, default=1000, help="C2: requests/s sent (default 1000)")
    p.add_argument("--c2-seconds", type=int, default=10, help="C2: seconds measured (default 10)")
    a = p.parse_args()
    a.limited_rate = a.limited_rate or 150.0 * a.nodes

    def on_signal(signum, frame):
        for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(s, signal.SIG_IGN)  # a second Ctrl-C (or cluster.sh passing it on) must not cut the teardown short
        raise KeyboardInterrupt(f"signal {signum}")

    for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(s, on_signal)
    started = datetime.datetime.now(datetime.timezone.utc)
    self_check()
    cl = Cluster(a)
    code = 0
    try:
        cl.start()
        if not a.drill and not a.bench:
            banner(cl)
            while True:
                time.sleep(3600)
        results = []
        if a.drill:
            wanted = set(a.only.split(",")) if a.only else None
            for key, label, fn in DRILLS:
                if wanted and key not in wanted:
                    continue
                log(f"drill {key}: {label}")
                try:
                    r = fn(cl, a)
                except Exception as e:  # recorded as a failed drill; the next ones still run
                    r = {"pass": False, "error": f"{type(e).__name__}: {e}"}
                    cl.ensure_running()
                results.append((key, label, r))
                log(f"drill {key}: {'PASS' if r['pass'] else 'FAIL'} — {r.get('figure', r.get('error'))}")
        if a.bench:
            results.append(("C1", f"signed single queries through nginx, {a.nodes} nodes vs 1", bench_c1(cl, a)))
            results.append(("C2", f"merchant limited to {LIMIT}/s sending {a.c2_rate:.0f}/s over {a.nodes} nodes", bench_c2(cl, a)))
        la = ", ".join(f"{x:.2f}" for x in os.getloadavg())
        tbl = table(results, f"Leopard cluster {started:%Y-%m-%d %H:%M} UTC — {a.nodes} nodes behind nginx, "
                             f"load average now {la} ({os.cpu_count()} cores)")
        path = write_results(cl, a, "drill" if a.drill else "bench", results, tbl, started)
        print(tbl)
        for key, _, r in results:
            if r.get("timeline"):
                print(f"\n{key} per second (s ok/failed/wrong/unsigned, +limited): " + " ".join(
                    f"{x['s']}:{x['ok']}/{x['failed']}/{x['wrong']}/{x['unsigned']}" + (f"+{x['limited']}" if x["limited"] else "")
                    for x in r["timeline"]))
        print(f"\nraw figures: {os.path.relpath(path, os.getcwd())}")
        code = 0 if all(r["pass"] for _, _, r in results) else 1
    except Failure as e:
        log(f"FAILED: {e}")
        cl.show_logs()
        code = 1
    except KeyboardInterrupt:
        log("stopping")
        code = 130 if (a.drill or a.bench) else 0
    finally:
        cl.teardown()
    sys.exit(code)


if __name__ == "__main__":
    main()
