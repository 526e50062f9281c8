-- GET /scim/v2/Users/{id} for random seeded users.
local common = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "common.lua")
setup = common.setup
done = common.done

local ids
function init(args)
  common.init(args)
  ids = common.lines("user-ids.txt")
end

function request()
  return common.get("/scim/v2/Users/" .. common.pick(ids))
end
