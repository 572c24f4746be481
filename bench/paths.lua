-- wrk script: walks the URLs in $BENCH_PATHS as returning browser visitors behind the TLS proxy,
-- and prints one JSON line of results.
--
-- The threads share one walk: request k of thread t (of $BENCH_THREADS) takes URL number
-- $BENCH_START + k * threads + t, wrapping at the end of the list, so no two requests of a run ask
-- for the same URL until the list wraps. "last" in the result is one past the highest number any
-- thread took: the next run of a row that must not repeat a URL starts there.
-- A line is a path, or "host path" (bench/run --units): the request then carries that Host header.
local paths, hosts = {}, {}
for line in io.lines(os.getenv("BENCH_PATHS")) do
  if line ~= "" then
    local host, path = line:match("^(%S+) (%S+)$")
    paths[#paths + 1] = path or line
    hosts[#paths] = host
  end
end
-- Signed visitor cookies, one a line (bench/generate.py signs them with the server's SECRET_KEY).
local visitors = {}
for line in io.lines(os.getenv("BENCH_VISITORS")) do
  if line ~= "" then visitors[#visitors + 1] = line end
end
local start = tonumber(os.getenv("BENCH_START") or "0")
local thread_count = tonumber(os.getenv("BENCH_THREADS") or "1")

local threads = {}
local thread_number = 0
function setup(thread)
  thread:set("number", thread_number)
  thread_number = thread_number + 1
  threads[#threads + 1] = thread
end

-- Globals: done() reads them from each thread.
taken = 0
-- wrk.format replaces wrk.headers with the table it is given, so every header is listed here.
local headers = {
  ["X-Forwarded-Proto"] = "https",
  ["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36",
  ["Accept-Encoding"] = "gzip",
}

function request()
  local index = start + taken * thread_count + number
  taken = taken + 1
  local slot = (index % #paths) + 1
  local path = paths[slot]
  if hosts[slot] then headers["Host"] = hosts[slot] end
  -- Returning visitors: the visitor cookie the server signed and the CSRF cookie a browser keeps
  -- from its first page with a form (32 letters and digits).
  local visitor = index % #visitors
  headers["Cookie"] = "kv=" .. visitors[visitor + 1] .. "; csrftoken=" .. string.format("csrf%028d", visitor)
  return wrk.format("GET", path, headers)
end

function done(summary, latency, requests)
  local e = summary.errors
  local last = start
  for _, thread in ipairs(threads) do
    local next_index = start + thread:get("taken") * thread_count + thread:get("number")
    if next_index > last then last = next_index end
  end
  -- The upper tail in steps of 0.1%, so that rounds can be merged into one true p99.
  local tail = {}
  for tenth = 900, 1000 do tail[#tail + 1] = string.format("%d", latency:percentile(tenth / 10)) end
  io.write(string.format(
    'RESULT {"requests": %d, "duration_us": %d, "errors": %d, "p50_us": %d, "p99_us": %d, "last": %d, "tail_us": [%s]}\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50), latency:percentile(99), last, table.concat(tail, ", ")))
end
