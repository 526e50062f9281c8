-- GET /scim/v2/Groups/{id}?excludedAttributes=members for random groups (the big one included),
-- as Entra reads groups.
local common = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "common.lua")
setup = common.setup
done = common.done

local ids
function init(args)
  common.init(args)
  ids = common.lines("group-ids.txt")
end

function request()
  return common.get("/scim/v2/Groups/" .. common.pick(ids) .. "?excludedAttributes=members")
end
