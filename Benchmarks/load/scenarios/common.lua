-- Shared by the scenario scripts of run-load.sh (wrk, LuaJIT).
--
-- Every scenario script is started as
--   wrk ... -s SCENARIO.lua URL -- DATA_DIR TARGET_PATH RUN_TAG THREADS
-- DATA_DIR holds the files run-load.sh extracted from the seeder's manifest (one value a line)
-- and the bearer token; TARGET_PATH is empty against zscim, or "/static/SIZE" against the
-- baseline, which then receives the same method, headers and body on its one route.
-- done() prints one machine-readable RESULT line that run-load.sh parses.

local common = {}

local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } zscim_load_timespec;
int clock_gettime(int clock_id, zscim_load_timespec *tp);
]]
local timespec = ffi.new("zscim_load_timespec")

-- Monotonic wall-clock seconds (CLOCK_MONOTONIC), for scenarios that time themselves.
function common.now()
  ffi.C.clock_gettime(1, timespec)
  return tonumber(timespec.tv_sec) + tonumber(timespec.tv_nsec) / 1e9
end

local threads = {}
local next_id = 0

-- Runs in the setup environment, once per thread, before that thread's init().
function common.setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function common.lines(name)
  local file = assert(io.open(common.dir .. "/" .. name, "r"), "cannot open " .. common.dir .. "/" .. name)
  local out = {}
  for line in file:lines() do
    if line ~= "" then out[#out + 1] = line end
  end
  file:close()
  assert(#out > 0, name .. " is empty")
  return out
end

function common.read(name)
  local file = assert(io.open(common.dir .. "/" .. name, "r"), "cannot open " .. common.dir .. "/" .. name)
  local text = file:read("*a")
  file:close()
  return text
end

function common.init(args)
  common.dir = assert(args[1], "missing DATA_DIR argument")
  common.target = args[2] or ""
  common.tag = args[3] or "run"
  common.threads = tonumber(args[4] or "1")
  common.extra = args[5] ~= "" and args[5] or nil
  common.id = id or 0
  repeats = 0
  statuses = {}
  math.randomseed(os.time() + 7919 * common.id)
  local token = common.read("token"):gsub("%s+$", "")
  common.headers = { ["Authorization"] = "Bearer " .. token, ["Accept"] = "application/scim+json" }
  common.json_headers = {
    ["Authorization"] = "Bearer " .. token,
    ["Accept"] = "application/scim+json",
    ["Content-Type"] = "application/scim+json",
  }
end

-- The path to request: the SCIM path against zscim, the static route against the baseline.
function common.path(scim_path)
  if common.target == "" then return scim_path end
  return common.target
end

function common.urlencode(text)
  return (text:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function common.pick(list)
  return list[math.random(#list)]
end

-- wrk.format replaces (does not merge) wrk.headers and adds Content-Length itself; give it a
-- fresh copy each time because it writes into the table.
function common.copy(headers)
  local out = {}
  for k, v in pairs(headers) do out[k] = v end
  return out
end

function common.get(scim_path)
  return wrk.format("GET", common.path(scim_path), common.copy(common.headers))
end

function common.send(method, scim_path, body)
  return wrk.format(method, common.path(scim_path), common.copy(common.json_headers), body)
end

-- Scenarios that write define response() with this: it counts answers by status and notes when
-- the thread's first request left and its last answer came, so that a run that stops early (see
-- patch-members.lua) still gives a true rate. Reading answers costs wrk some speed, so read-only
-- scenarios leave response() undefined and use wrk's own counts.
function common.timed_request()
  if not started_at then started_at = common.now() end
end

function common.response(status)
  finished_at = common.now()
  statuses[status] = (statuses[status] or 0) + 1
end

function common.done(summary, latency, requests)
  local total_repeats, first, last, counts = 0, nil, nil, {}
  for _, thread in ipairs(threads) do
    total_repeats = total_repeats + (thread:get("repeats") or 0)
    local s, f = thread:get("started_at"), thread:get("finished_at")
    if s and f then
      first = math.min(first or s, s)
      last = math.max(last or f, f)
    end
    for status, n in pairs(thread:get("statuses") or {}) do counts[status] = (counts[status] or 0) + n end
  end
  local listed, ok, answered = {}, 0, 0
  for status, n in pairs(counts) do
    listed[#listed + 1] = status .. ":" .. n
    answered = answered + n
    if status >= 200 and status < 300 then ok = ok + n end
  end
  table.sort(listed)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  if first and last and last > first then
    seconds = last - first
  else
    ok = summary.requests - e.status
    answered = summary.requests
  end
  io.write(string.format(
    "RESULT requests=%d seconds=%.3f rps=%.1f ok=%d ok_rps=%.1f mean_us=%.0f p50_us=%d p90_us=%d p99_us=%d max_us=%d "
      .. "bytes=%d err_connect=%d err_read=%d err_write=%d err_status=%d err_timeout=%d repeats=%d statuses=%s\n",
    answered, seconds, answered / seconds, ok, ok / seconds, latency.mean, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout, total_repeats,
    (#listed > 0 and table.concat(listed, ",") or "-")))
end

return common
