-- What `check` gives target_model of an organisation (target_model.READS, target_model.view):
-- the fields it reads, and an error, not a silent nil, for any other.
package.path = arg[1] .. "/?.lua;" .. package.path
package.preload["nastavnik.host"] = function() return {} end
local target_model = require "nastavnik.target_model"
local failures = 0
local function check(ok, what)
  if not ok then
    failures = failures + 1
    print("FAIL: " .. what)
  end
end

local declared = {}
for _, f in ipairs(target_model.READS) do declared[f] = true end
for _, f in ipairs({ "roadmap", "orders", "short_name", "curator" }) do
  check(declared[f], "READS holds " .. f)
end

local view = target_model.view({ short_name = "МБОУ «СОШ № 1»", orders = {} })
check(view.short_name == "МБОУ «СОШ № 1»", "a field of READS is read")
check(view.roadmap == nil and view.curator == nil, "a field of READS not written is nil")
local ok, err = pcall(function() return view.pairs end)
check(not ok and tostring(err):find("pairs", 1, true), "a field outside READS is an error")

-- check_subject reads nothing else of it: no roadmap, no warnings.
check(#target_model.check_subject(view, { type = "municipality" }) == 0, "no roadmap, no warnings")

if failures > 0 then os.exit(1) end
print("target_model: ok")
