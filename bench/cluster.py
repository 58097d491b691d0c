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
import shutil
import signal
import string
import subprocess
import sys
import threading
import time
import types

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run as bench  # noqa: E402  (run.py: ports, processes, the order rows of the benchmarks)
from run import Failure, free_port, http_get, log, sh  # noqa: E402
from cluster_load import (CARD_ORDERS, CHANGE_MID, LIMIT, LIMITED_MID, MAIN_MID, ORDERS, OTHER_MID,  # noqa: E402
                          SMALL_ORDERS, classify, query, self_check, signed_body)
from cluster_drills import DRILLS, bench_c1, bench_c2  # noqa: E402


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
