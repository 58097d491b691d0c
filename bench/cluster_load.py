"""What bench/cluster.py's drills send and how they judge it: signed requests, the answer verifier
(PROTOCOL.md sections 2-4) and a paced load generator that counts every answer per second.
Standard library only; signing is run.py's."""
import http.client
import json
import os
import random
import select
import string
import sys
import threading
import time
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run as bench  # noqa: E402
from run import Failure, stringa_sign  # noqa: E402

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
