-- GET /scim/v2/Users?filter=… with the filters of the list file named as the extra argument
-- (unindexed-filters.txt: `title eq`, `name.familyName sw`; scan-filters.txt: `or`s no index
-- answers), one at a time, so that the latency is the figure.
local common = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "common.lua")
setup = common.setup
done = common.done

local filters
function init(args)
  common.init(args)
  filters = common.lines(common.extra or "unindexed-filters.txt")
end

function request()
  return common.get("/scim/v2/Users?count=100&filter=" .. common.urlencode(common.pick(filters)))
end
