-- wrk script: cycles through the URLs in $BENCH_PATHS as returning browser visitors behind
-- the TLS proxy, and prints one JSON line of results.
local paths = {}
for line in io.lines(os.getenv("BENCH_PATHS")) do
  if line ~= "" then paths[#paths + 1] = line end
end

local thread_number = 0
function setup(thread)
  thread_number = thread_number + 1
  thread:set("offset", thread_number * 7919)
end

local counter
-- wrk.format replaces wrk.headers with the table it is given, so every header is listed here.
local headers = {
  ["X-Forwarded-Proto"] = "https",
  ["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36",
  ["Accept-Encoding"] = "gzip",
}
function init(args)
  counter = offset or 0
end

function request()
  counter = counter + 1
  local path = paths[(counter % #paths) + 1]
  -- 1,000 different returning visitors: the visitor cookie (32 hex digits) and the CSRF cookie a
  -- browser keeps from its first page with a form (32 letters and digits).
  local visitor = string.format("%032x", counter % 1000)
  headers["Cookie"] = "kv=" .. visitor .. "; csrftoken=" .. string.format("csrf%028d", counter % 1000)
  return wrk.format("GET", path, headers)
end

function done(summary, latency, requests)
  local e = summary.errors
  -- The upper tail in steps of 0.1%, so that rounds can be merged into one true p99.
  local tail = {}
  for tenth = 900, 1000 do tail[#tail + 1] = string.format("%d", latency:percentile(tenth / 10)) end
  io.write(string.format(
    'RESULT {"requests": %d, "duration_us": %d, "errors": %d, "p50_us": %d, "p99_us": %d, "tail_us": [%s]}\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50), latency:percentile(99), table.concat(tail, ", ")))
end
