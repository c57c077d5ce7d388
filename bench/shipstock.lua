-- wrk script for bench/shipstock.sh: every request ships one unit of an item
-- picked at random from the file named by BENCH_ITEMS (one id a line), at
-- the location BENCH_LOCATION, with the token BENCH_TOKEN. A response that
-- is not 200, or whose shipStock answers userErrors or no movement, counts
-- as an error. done() prints one line: requests/s, latencies, errors.

local items = {}
for line in io.lines(os.getenv("BENCH_ITEMS")) do
  items[#items + 1] = line
end
local location = os.getenv("BENCH_LOCATION")
local headers = {
  ["Content-Type"] = "application/json",
  ["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN"),
}
local query = "mutation Ship($i: ID!, $l: ID!) { shipStock(input: {itemId: $i, locationId: $l, quantity: 1}) "
  .. "{ movements { id } userErrors { code } } }"

local threads = {}
function setup(thread)
  threads[#threads + 1] = thread
end

errors = 0
function init(args)
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
end

function request()
  local item = items[math.random(#items)]
  local body = '{"query":"' .. query .. '","variables":{"i":"' .. item .. '","l":"' .. location .. '"}}'
  return wrk.format("POST", "/graphql", headers, body)
end

function response(status, headers, body)
  if status ~= 200 or not body:find('"movements":%[{') or not body:find('"userErrors":%[%]') then
    errors = errors + 1
    if errors == 1 then
      io.stderr:write("first failed response: " .. status .. " " .. body:sub(1, 300) .. "\n")
    end
  end
end

function done(summary, latency, requests)
  local failed = 0
  for _, t in ipairs(threads) do
    failed = failed + t:get("errors")
  end
  io.write(string.format("RESULT rps=%.1f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f requests=%d errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, summary.requests, failed + summary.errors.status + summary.errors.connect
    + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
