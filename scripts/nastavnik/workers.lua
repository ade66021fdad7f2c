-- Work split between worker processes (build -j N): units of work numbered 1..count, each
-- made by work(i) -> a result of plain data (strings, numbers, booleans, tables of them), and
-- handed to emit(i, result) in this process in the order 1..count whatever the workers' pace,
-- so what is printed and summed is the same with one worker as with many.
--
-- Unit i goes to worker (i - 1) % jobs + 1: each worker makes its units in order and sends
-- each result down its own pipe; this process takes unit 1 from worker 1, unit 2 from
-- worker 2, …, reading meanwhile whatever a worker ahead of its turn has sent (receive).
-- The workers are forks taken here, after the scripts and the description are loaded
-- (generator/workers/workers_lua.h says why processes).
--
-- A worker that ends without sending a result (killed, crashed) gives emit(i, nil, why) for
-- each of its units not received; an error of the generator's own inside work (not a limit of
-- the description: work catches those) is raised here, as it would be with one worker.

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
-- unit 1's. While it is made, the workers' results are read as they come and kept (a few MB:
-- what the workers make meanwhile), so that no worker waits on a full pipe.
function workers.run(count, jobs, work, emit, handler, ahead)
  local os_workers = require "nastavnik.processes"
  local procs = {}
  if jobs > 1 and count > 1 then
    jobs = math.min(jobs, count)
    for k = 1, jobs do
      local pid, fd = os_workers.start()
      -- (no process to be had: that worker's units are made here, in their turn)
      if not pid then break end
      if pid == 0 then
        if ahead then os_workers.close(ahead.fd) end
        for i = k, count, jobs do
          local ok, result = xpcall(work, handler or debug.traceback, i)
          local message = serialize(ok and { result = result } or { error = tostring(result) })
          if not os_workers.send(fd, message) or not ok then break end
        end
        os_workers.finish(0)
      end
      procs[k] = { pid = pid, fd = fd, queue = {}, first = 1, last = 0 }
    end
  else
    jobs = 1
  end
  local failure
  -- Keeps the next message of worker q (false: the end of its stream, after its messages).
  local function keep(q, message)
    q.last = q.last + 1
    q.queue[q.last] = message or false
    q.drained = not message
  end
  -- The next message of worker p, in its turn. Until one of p's is there, what any worker has
  -- ready is read and kept: a worker ahead of its turn (its units were quicker) goes on
  -- making the next instead of waiting on its full pipe while this process waits for the
  -- other's (the messages are a few KB each, read ahead by as much as a worker is ahead).
  local function receive(p)
    while p.first > p.last and not p.drained do
      local fds, by_fd = {}, {}
      for _, q in ipairs(procs) do
        if not q.drained then
          fds[#fds + 1] = q.fd
          by_fd[q.fd] = q
        end
      end
      local fd = #fds > 1 and os_workers.ready(fds) or p.fd
      keep(by_fd[fd], os_workers.receive(fd))
    end
    if p.first > p.last then return nil end
    local message = p.queue[p.first]
    p.queue[p.first] = nil
    p.first = p.first + 1
    return message or nil
  end
  if ahead then
    local by_fd = {}
    for _, p in ipairs(procs) do by_fd[p.fd] = p end
    while true do
      local fds = { ahead.fd }
      for _, p in ipairs(procs) do
        if not p.drained then fds[#fds + 1] = p.fd end
      end
      local fd = #fds > 1 and os_workers.ready(fds) or ahead.fd
      if not fd or fd == ahead.fd then break end
      keep(by_fd[fd], os_workers.receive(fd))
    end
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
    local p = procs[(i - 1) % jobs + 1] or { ended = false, local_work = true }
    if p.local_work and not failure then emit(i, work(i)) end
    local message = not p.local_work and not p.ended and not failure and receive(p)
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
