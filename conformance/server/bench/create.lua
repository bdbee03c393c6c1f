-- wrk script: durable creates of a ~5 KB AdverseEvent, each request with its own
-- Idempotency-Key and local id (so every request is a new event, never a replay or a 409).
local counter = 0
local template, key  -- `tid` is a global: wrk's thread:set() writes globals
non201 = 0  -- global, so done() can read it per thread

threads = {}

function setup(thread)
  thread_count = (thread_count or 0) + 1
  thread:set("tid", thread_count)
  table.insert(threads, thread)
end

function init(args)
  local f = assert(io.open(os.getenv("BENCH_BODY"), "r"))
  template = f:read("*a")
  f:close()
  key = os.getenv("BENCH_KEY")
  tid = tid or 0
end

function request()
  counter = counter + 1
  local local_id = string.format("BENCH-%s-%d-%d", os.getenv("BENCH_RUN") or "0", tid, counter)
  local body = template:gsub("__LOCAL_ID__", local_id)
  local ikey = string.format("%08x-0000-4000-8%03x-%012d", tonumber(os.getenv("BENCH_RUN") or "0") % 4294967296,
                             tid, counter)
  return wrk.format("POST", "/adverse-event/fhir/AdverseEvent", {
    ["Content-Type"] = "application/fhir+json",
    ["Ocp-Apim-Subscription-Key"] = key,
    ["Idempotency-Key"] = ikey,
  }, body)
end

function response(status, headers, body)
  -- A 200 would be a replay: count it, so a key collision cannot pass for a create.
  if status ~= 201 then non201 = non201 + 1 end
end

function done(summary, latency, requests)
  local not_created = 0
  for _, t in ipairs(threads or {}) do not_created = not_created + (t:get("non201") or 0) end
  io.write(string.format("RESULT not_201=%d requests=%d seconds=%.2f rps=%.0f p50_ms=%.2f p99_ms=%.2f errors=%d\n",
    not_created, summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write +
    summary.errors.timeout))
end
