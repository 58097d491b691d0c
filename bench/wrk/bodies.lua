-- wrk script of bench/run.sh: rotates through a file of pre-signed form bodies (one per line,
-- written by io.leopard.bench.Bodies) so that wrk spends no CPU on signing, and prints one
-- machine-readable line at the end.
--   wrk -t1 -c32 -d10s --latency -s bench/wrk/bodies.lua http://127.0.0.1:P -- BODY_FILE /query/single
--   wrk -t1 -c32 -d10s --latency -s bench/wrk/bodies.lua http://127.0.0.1:P -- - /healthz   (plain GET)
-- Every request is formatted once at start; each thread starts at its own place in the file.

local threads = {}
local reqs = {}
local n = 0
local i = 0

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  local file = args[1] or "-"
  local path = args[2] or "/"
  if file == "-" then
    n = 1
    reqs[1] = wrk.format("GET", path)
  else
    local headers = { ["Content-Type"] = "application/x-www-form-urlencoded" }
    for line in io.lines(file) do
      if #line > 0 then
        n = n + 1
        reqs[n] = wrk.format("POST", path, headers, line)
      end
    end
    if n == 0 then
      error("no bodies in " .. file)
    end
  end
  i = ((id or 0) * 7919) % n
end

function request()
  i = i + 1
  if i > n then
    i = 1
  end
  return reqs[i]
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests":%d,"duration_us":%d,"bytes":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latency_us":{"min":%d,"mean":%.1f,"stdev":%.1f,"max":%d,"p50":%d,"p75":%d,"p90":%d,"p99":%d,"p999":%d}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.min, latency.mean, latency.stdev, latency.max,
    latency:percentile(50), latency:percentile(75), latency:percentile(90),
    latency:percentile(99), latency:percentile(99.9)))
end
