-- Sends each pre-solved tip body (one JSON per line of $BODIES_FILE) exactly once; threads take
-- disjoint slices. A thread that runs out reuses its bodies (answered 400 TOKEN_USED) and says so.
local threads = {}
local counter = 0
function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  bodies = {}
  local i = 0
  local n = 2
  for line in io.lines(os.getenv("BODIES_FILE")) do
    if i % n == tid then table.insert(bodies, line) end
    i = i + 1
  end
  idx = 0
  exhausted = 0
end

function request()
  idx = idx + 1
  if idx > #bodies then exhausted = 1; idx = 1 end
  return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, bodies[idx])
end

function done(summary, latency, requests)
  for _, t in ipairs(threads) do
    if t:get("exhausted") == 1 then print("bodies exhausted: raise BODIES") end
  end
end
