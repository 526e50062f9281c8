-- PATCH /scim/v2/Groups/{big}?excludedAttributes=members adding 100 users that are not members
-- yet (Entra's "Add members" operation). Each thread takes its own block of the non-member list.
-- Against zscim a thread stops when its block is used up, so that every counted request adds 100
-- new members; the rate is then timed from the first request to the last answer (see
-- common.response). Against the baseline, which stores nothing, a thread starts its block again.
local common = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "common.lua")
setup = common.setup
done = common.done

local per_request = 100
local template, group, ids
local first, last, position
function init(args)
  common.init(args)
  template = common.read("patch-members.json")
  group = common.lines("big-group-id.txt")[1]
  ids = common.lines(common.extra or "nonmembers.txt")
  local block = math.floor(#ids / common.threads)
  assert(block >= per_request, "too few non-members for " .. common.threads .. " threads")
  first = common.id * block + 1
  last = first + block - 1
  position = first
end

function request()
  common.timed_request()
  if position + per_request - 1 > last then
    if common.target == "" then
      -- Out of non-members: stop this thread. wrk still wants a request for the connection
      -- that asked; a health check is cheap and its answer is never counted.
      if not stopped then
        stopped = true
        wrk.thread:stop()
      end
      return wrk.format("GET", "/healthz", common.copy(common.headers))
    end
    position = first
    repeats = repeats + 1
  end
  local values = {}
  for i = position, position + per_request - 1 do values[#values + 1] = '{"value":"' .. ids[i] .. '"}' end
  position = position + per_request
  local body = template:gsub("{{MEMBERS}}", table.concat(values, ","))
  return common.send("PATCH", "/scim/v2/Groups/" .. group .. "?excludedAttributes=members", body)
end

function response(status)
  if not stopped then common.response(status) end
end
