-- Work split between worker processes (build -j N): units of work numbered 1..count, each
-- made by work(i) -> a result of plain data (strings, numbers, booleans, tables of them), and
-- handed to emit(i, result) in this process in the order 1..count whatever the workers' pace,
-- so what is printed and summed is the same with one worker as with many.
--
-- Unit i goes to worker (i - 1) % jobs + 1: each worker makes its units in order and sends
-- each result down its own pipe; this process reads unit 1 from worker 1, unit 2 from
-- worker 2, … (a worker ahead of the reader waits on its full pipe: memory stays bounded).
-- The workers are forks taken here, after the scripts and the description are loaded
-- (generator/workers/workers_lua.h says why processes).
--
-- A worker that ends without sending a result (killed, crashed) gives emit(i, nil, why) for
-- each of its units not received; an error of the generator's own inside work (not a limit of
-- the description: work catches those) is raised here, as it would be with one worker.

local workers = {}

-- A result as a Lua chunk, read back by load(). A table met twice is one table again when
-- read back (a region's light copies of organisations share their people between the list
-- and the pairs, and documents tell people by identity): each such table is made first,
-- empty, as S[n], and filled after; the others are written in place.
local KEYWORDS = {}
for word in ("and break do else elseif end false for function goto if in local nil not or repeat return then true until while"):gmatch("%a+") do
  KEYWORDS[word] = true
end

local function serialize(root)
  local refs, order = {}, {}
  local function count(v)
    local t = type(v)
    if t == "table" then
      if refs[v] then
        refs[v] = refs[v] + 1
        return
      end
      refs[v] = 1
      for k, x in next, v do
        count(k)
        count(x)
      end
      order[#order + 1] = v
    elseif t ~= "string" and t ~= "number" and t ~= "boolean" then
      error("workers: a result may hold no " .. t, 0)
    end
  end
  count(root)
  local ids, shared = {}, 0
  for _, t in ipairs(order) do
    if refs[t] > 1 then
      shared = shared + 1
      ids[t] = shared
    end
  end
  local out = {}
  local function value(v, defining)
    if type(v) ~= "table" then
      out[#out + 1] = string.format("%q", v)
    elseif ids[v] and v ~= defining then
      out[#out + 1] = "S[" .. ids[v] .. "]"
    else
      -- (the array part by position and names as names: a shorter text, parsed faster)
      out[#out + 1] = "{"
      local n = 0
      while rawget(v, n + 1) ~= nil do
        n = n + 1
        value(v[n])
        out[#out + 1] = ","
      end
      for k, x in next, v do
        if type(k) == "string" and k:find("^[%a_][%w_]*$") and not KEYWORDS[k] then
          out[#out + 1] = k .. "="
          value(x)
          out[#out + 1] = ","
        elseif not (math.type(k) == "integer" and k >= 1 and k <= n) then
          out[#out + 1] = "["
          value(k)
          out[#out + 1] = "]="
          value(x)
          out[#out + 1] = ","
        end
      end
      out[#out + 1] = "}"
    end
  end
  out[1] = string.format("local S={} for i=1,%d do S[i]={} end ", shared)
  out[2] = "local function F(t,s) for k,v in next,s do t[k]=v end end "
  for _, t in ipairs(order) do
    if ids[t] then
      out[#out + 1] = "F(S[" .. ids[t] .. "],"
      value(t, t)
      out[#out + 1] = ") "
    end
  end
  out[#out + 1] = "return "
  value(root)
  return out
end

local function deserialize(bytes)
  local chunk = assert(load(bytes, "=worker", "t", { next = next }))
  return chunk()
end

-- The number of workers when -j is not given: the processors online.
function workers.default()
  return require("nastavnik.processes").cores()
end

-- The number of workers a command's -j asks for (from 1 to 256), or nil and the message for
-- a wrong one.
function workers.option(command_name, value)
  if value == nil then return workers.default() end
  local jobs = tonumber(value)
  if not jobs or math.type(jobs) ~= "integer" or jobs < 1 or jobs > 256 then
    return nil, string.format("%s: -j: укажите число процессов от 1 до 256, а не «%s»", command_name, value)
  end
  return jobs
end

-- The message for a worker that ended without its results.
local function ended_how(how, code)
  if how == "signal" then return string.format("процесс-исполнитель прерван сигналом %d", code) end
  return string.format("процесс-исполнитель завершился с кодом %d, не передав результат", code)
end

-- handler: the message handler for an error inside work (as xpcall's; default
-- debug.traceback), so that the error raised here reads as it would with one worker.
function workers.run(count, jobs, work, emit, handler)
  if jobs <= 1 or count <= 1 then
    for i = 1, count do emit(i, work(i)) end
    return
  end
  local os_workers = require "nastavnik.processes"
  jobs = math.min(jobs, count)
  local procs = {}
  for k = 1, jobs do
    local pid, fd = os_workers.start()
    -- (no process to be had: that worker's units are made here, in their turn)
    if not pid then break end
    if pid == 0 then
      for i = k, count, jobs do
        local ok, result = xpcall(work, handler or debug.traceback, i)
        local message = table.concat(serialize(ok and { result = result } or { error = tostring(result) }))
        if not os_workers.send(fd, message) or not ok then break end
      end
      os_workers.finish(0)
    end
    procs[k] = { pid = pid, fd = fd }
  end
  local failure
  for i = 1, count do
    local p = procs[(i - 1) % jobs + 1] or { ended = false, local_work = true }
    if p.local_work and not failure then emit(i, work(i)) end
    local message = not p.local_work and not p.ended and not failure and os_workers.receive(p.fd)
    local decoded = message and deserialize(message)
    if decoded and decoded.error then
      failure = decoded.error
    elseif decoded then
      emit(i, decoded.result)
    elseif not failure and not p.local_work then
      if not p.ended then
        p.ended = ended_how(os_workers.wait(p.pid))
        p.waited = true
      end
      emit(i, nil, p.ended)
    end
  end
  -- A worker still running after a failure meets a closed pipe and ends.
  for _, p in ipairs(procs) do
    os_workers.close(p.fd)
    if not p.waited then os_workers.wait(p.pid) end
  end
  if failure then error(failure, 0) end
end

return workers
