-- Work split between worker processes (build -j N): units of work numbered 1..count, each
-- made by work(i) -> a result of plain data (strings, numbers, booleans, tables of them), and
-- handed to emit(i, result) in this process in the order 1..count whatever the workers' pace,
-- so what is printed and summed is the same with one worker as with many.
--
-- Each worker takes the next unit not yet taken (a counter the workers share: processes.units),
-- makes it and sends its result, with its number, down its own pipe; this process keeps what
-- comes, from whichever worker, and hands the results on in their order. Units are not dealt
-- out beforehand: one worker's units being quicker (organisations differ), it would idle at
-- the end while the other made the rest of its share (2,000 organisations, -j 2: the last
-- 2.5 s with one worker). A worker never waits on this process: what it sends is read as it
-- comes (a few KB a unit, kept by as many units as the quicker worker is ahead).
-- The workers are forks taken here, after the scripts and the description are loaded
-- (generator/workers/workers_lua.h says why processes).
--
-- A worker that ends without sending a result (killed, crashed) gives emit(i, nil, why) for
-- the unit it had taken; the others make the rest. An error of the generator's own inside
-- work (not a limit of the description: work catches those) is raised here, in its unit's
-- turn, as it would be with one worker.

local workers = {}

-- A result as bytes and back (nastavnik.processes' encode and decode: plain data; a table
-- met twice is one table again when read back: a region's light copies of organisations
-- share their people between the list and the pairs, and documents tell people by identity).
local function serialize(value)
  return require("nastavnik.processes").encode(value)
end

local function deserialize(bytes)
  return require("nastavnik.processes").decode(bytes)
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

-- Starts work() in a process of its own, now: for a unit that needs what this process is
-- about to let go before its workers fork (build: a region's own documents read every
-- organisation's whole light copy; the workers must not start from those copies), so that
-- it is made while the workers make the others. Returns what workers.run takes as `ahead`,
-- or nil when no process is to be had (then make it here).
function workers.start(work, handler)
  local os_workers = require "nastavnik.processes"
  local pid, fd = os_workers.start()
  if not pid then return nil end
  if pid == 0 then
    local ok, result = xpcall(work, handler or debug.traceback)
    os_workers.send(fd, serialize(ok and { result = result } or { error = tostring(result) }))
    os_workers.finish(0)
  end
  return { pid = pid, fd = fd }
end

-- handler: the message handler for an error inside work (as xpcall's; default
-- debug.traceback), so that the error raised here reads as it would with one worker.
-- ahead (optional): a process of workers.start, whose result is given to emit(0, …) before
-- unit 1's; the workers' results that come meanwhile are kept.
function workers.run(count, jobs, work, emit, handler, ahead)
  local os_workers = require "nastavnik.processes"
  local procs = {}
  local units = jobs > 1 and count > 1 and os_workers.units(count)
  if units then
    for k = 1, math.min(jobs, count) do
      local pid, fd = os_workers.start()
      -- (no process to be had: the ones started make all the units, or this one alone)
      if not pid then break end
      if pid == 0 then
        if ahead then os_workers.close(ahead.fd) end
        while true do
          local i = units:take(k)
          if not i then break end
          local ok, result = xpcall(work, handler or debug.traceback, i)
          local message = serialize(ok and { unit = i, result = result } or { unit = i, error = tostring(result) })
          if not os_workers.send(fd, message) or not ok then break end
        end
        os_workers.finish(0)
      end
      procs[#procs + 1] = { k = k, pid = pid, fd = fd }
    end
  end
  -- The units' results as they come (a unit whose worker ended without it: { ended = why }).
  local results, running, last_ended = {}, #procs, nil
  -- Reads one message of any worker still sending, or the end of its stream; `also`: a fd to
  -- wait on beside theirs (ahead's), returned when it is the one ready.
  local function read_one(also)
    local fds, by_fd = {}, {}
    if also then fds[1] = also end
    for _, p in ipairs(procs) do
      if not p.drained then
        fds[#fds + 1] = p.fd
        by_fd[p.fd] = p
      end
    end
    local fd = #fds > 1 and os_workers.ready(fds) or fds[1]
    if fd == also then return also end
    local p = by_fd[fd]
    local message = os_workers.receive(fd)
    if message then
      local decoded = deserialize(message)
      results[decoded.unit] = decoded
      return
    end
    p.drained = true
    running = running - 1
    local why = ended_how(os_workers.wait(p.pid))
    p.waited = true
    -- (a worker that ended after its last result took nothing more: taken is 0, or a unit
    -- whose result came)
    local lost = units:taken(p.k)
    if lost > 0 and not results[lost] then results[lost] = { ended = why } end
    last_ended = why
  end
  local failure
  if ahead then
    while running > 0 and read_one(ahead.fd) ~= ahead.fd do end
    local message = os_workers.receive(ahead.fd)
    local decoded = message and deserialize(message)
    os_workers.close(ahead.fd)
    local how = ended_how(os_workers.wait(ahead.pid))
    if decoded and decoded.error then
      failure = decoded.error
    else
      emit(0, decoded and decoded.result, not decoded and how or nil)
    end
  end
  for i = 1, count do
    if failure then break end
    if #procs == 0 then
      emit(i, work(i))
    else
      while not results[i] and running > 0 do read_one() end
      -- (every worker ended without this unit: one ended as it took it)
      local r = results[i] or { ended = last_ended }
      results[i] = nil
      if r.error then
        failure = r.error
      elseif r.ended then
        emit(i, nil, r.ended)
      else
        emit(i, r.result)
      end
    end
  end
  -- A worker still running after a failure meets a closed pipe and ends.
  for _, p in ipairs(procs) do
    os_workers.close(p.fd)
    if not p.waited then os_workers.wait(p.pid) end
  end
  if units then units:close() end
  if failure then error(failure, 0) end
end

return workers
