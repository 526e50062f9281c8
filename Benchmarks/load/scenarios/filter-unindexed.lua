-- GET /scim/v2/Users?filter=… with filters no index answers (`title eq`, `name.familyName sw`),
-- one at a time: each request scans every seeded user, so its latency is the figure.
local common = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "common.lua")
setup = common.setup
done = common.done

local filters
function init(args)
  common.init(args)
  filters = common.lines("unindexed-filters.txt")
end

function request()
  return common.get("/scim/v2/Users?count=100&filter=" .. common.urlencode(common.pick(filters)))
end
