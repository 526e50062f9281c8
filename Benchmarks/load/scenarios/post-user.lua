-- POST /scim/v2/Users with an Entra-shaped body (post-user.json) and a userName no other request
-- of this run uses.
local common = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "common.lua")
setup = common.setup
done = common.done

local template
local counter = 0
function init(args)
  common.init(args)
  template = common.read("post-user.json")
end

function request()
  common.timed_request()
  counter = counter + 1
  local unique = common.tag .. "." .. common.id .. "." .. counter
  local body = template:gsub("{{UNIQUE}}", unique)
  return common.send("POST", "/scim/v2/Users", body)
end

function response(status)
  common.response(status)
end
