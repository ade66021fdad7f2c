-- nastavnik bench FILE DOCUMENT [-n N]: makes the document N times in this process (the
-- description loaded once) and prints documents per second: for bench/, not for users (it is
-- not listed in the help).

local command = require "nastavnik.command"
local render = require "nastavnik.render"
local host = require "nastavnik.host"

return {
  hidden = true,
  run = function(args)
    local doc, code, out, err = render.document_view("bench", args, { organisation = true, item = true, count = true })
    if not doc then return code, out, err end
    -- N documents of a trusted sample, not one run of a description: no shared budget
    host.limits_off()
    local n = tonumber(doc.options.count or "100") or 100
    local start = host.clock()
    for _ = 1, n do
      local bytes, why = render.pdf(doc.kind, doc.kind.view(doc.model, doc.options), doc.name)
      if not bytes then return command.EXIT_INTERNAL, "", why .. "\n" end
    end
    local seconds = host.clock() - start
    return command.EXIT_OK, string.format("%s %s: %d documents in %.3f s, %.1f documents/s\n", doc.file,
      doc.name, n, seconds, n / seconds), ""
  end,
}
