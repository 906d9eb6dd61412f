-- wrk script for make bench: carries the session cookie, and for POSTs the form body.
-- BENCH_COOKIE_<n> / BENCH_BODY_<n>: one signed-in holder per wrk thread (run with -t N -c N,
-- so each connection is sequential). In a body, {version} becomes the draft version this request
-- is based on: the starting version + the requests already sent on this connection, so every
-- save is a real compare-and-set save, not a conflict.
local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("index", counter)
  table.insert(threads, thread)
end

function init(args)
  cookie = os.getenv("BENCH_COOKIE_" .. index)
  body = os.getenv("BENCH_BODY_" .. index)
  version = tonumber(os.getenv("BENCH_VERSION_" .. index) or "0")
  path = os.getenv("BENCH_PATH_" .. index)
  sent = 0
end

function request()
  local headers = {}
  if cookie then headers["Cookie"] = cookie end
  if body then
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    local filled = body:gsub("{version}", tostring(version + sent))
    sent = sent + 1
    return wrk.format("POST", path, headers, filled)
  end
  return wrk.format("GET", path, headers)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "max_us": %d, ' ..
    '"errors": %d, "bad_status": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.max,
    e.connect + e.read + e.write + e.timeout, e.status))
end
