-- wrk script for bench/checkin.py. With DEVICE_TOKEN set, each request is a check-in of a random
-- badge from CODES_FILE with a fresh nonce (the first scan of a badge checks the person in, later
-- ones answer "already checked in", as at a real door); without it, a plain GET (/healthz).
-- done() prints one JSON line: the Python side reads it.
local token = os.getenv("DEVICE_TOKEN")
local codes = {}
if token then
  for line in io.lines(os.getenv("CODES_FILE")) do codes[#codes + 1] = line end
end

local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("prefix", string.format("wrk-%d-%d-%d", os.time(), math.floor(os.clock() * 1e6), threads))
  thread:set("seed", os.time() * 100 + threads)
end

local counter = 0
function init(args)
  math.randomseed(seed)
end

function request()
  if not token then return wrk.format("GET") end
  counter = counter + 1
  local body = string.format('{"code":"%s","nonce":"%s-%d"}', codes[math.random(#codes)], prefix, counter)
  return wrk.format("POST", nil, {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"}, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"seconds":%.3f,"p50_ms":%.2f,"p99_ms":%.2f,"max_ms":%.2f,"non_2xx_3xx":%d,"socket_errors":%d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, e.status, e.connect + e.read + e.write + e.timeout))
end
