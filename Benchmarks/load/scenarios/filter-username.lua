-- GET /scim/v2/Users?filter=userName eq "…" for random seeded users (Entra's matching lookup).
local common = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "common.lua")
setup = common.setup
done = common.done

local names
function init(args)
  common.init(args)
  names = common.lines("usernames.txt")
end

function request()
  return common.get("/scim/v2/Users?filter=" .. common.urlencode('userName eq "' .. common.pick(names) .. '"'))
end
