-- wrk script for Keygate's verify endpoint:
--   KEYGATE_BENCH_TOKEN=kg_live_... wrk -t2 -c32 -d10s --latency -s bench/verify.lua http://127.0.0.1:18080/v1/verify
-- Sends POST {"token": $KEYGATE_BENCH_TOKEN, "permission": $KEYGATE_BENCH_PERMISSION or "bench.items:read"}.
-- The token comes only from the environment: never put one in this file or on a command line.
--
-- At the end it prints one parseable line:
--   RESULT name=verify rps=... p50_ms=... p90_ms=... p99_ms=... p999_ms=... mean_ms=... max_ms=... requests=... non2xx=... errors=...
-- (non2xx: responses with a status outside 2xx/3xx; errors: connect + read + write + timeout errors.)
--
-- Environment:
--   KEYGATE_BENCH_TOKEN       the token to verify (required unless KEYGATE_BENCH_MODE=get)
--   KEYGATE_BENCH_PERMISSION  the permission to check (default bench.items:read)
--   KEYGATE_BENCH_IP          when set, sent as context.ip (for tokens bound with allowed_cidrs)
--   KEYGATE_BENCH_IP_DISTINCT=1  send a different context.ip (10.x.y.z) with every request instead, so that no two
--                             verifications are alike (the audit writer's worst case: nothing to collapse)
--   KEYGATE_BENCH_NAME        the name in the RESULT line (default verify)
--   KEYGATE_BENCH_MODE=get    send wrk's plain GET of the URL instead (for the nginx and /healthz
--                             baselines), with the same RESULT line

local mode = os.getenv("KEYGATE_BENCH_MODE") or "verify"
local name = os.getenv("KEYGATE_BENCH_NAME") or (mode == "get" and "get" or "verify")

local function json_string(s)
   return '"' .. s:gsub('[%c"\\]', function(c)
      if c == '"' then return '\\"' end
      if c == '\\' then return '\\\\' end
      return string.format("\\u%04x", c:byte())
   end) .. '"'
end

if mode ~= "get" then
   local token = os.getenv("KEYGATE_BENCH_TOKEN")
   if token == nil or token == "" then
      -- error() would only be reported, and wrk would go on sending GETs: stop instead.
      io.stderr:write("verify.lua: KEYGATE_BENCH_TOKEN is not set: export the token to verify"
                      .. " (bench/http-verify.sh does this)\n")
      os.exit(2)
   end
   local permission = os.getenv("KEYGATE_BENCH_PERMISSION") or "bench.items:read"
   -- Set once here, wrk builds the request once per thread: no per-request Lua cost.
   wrk.method = "POST"
   wrk.headers["Content-Type"] = "application/json"
   local ip = os.getenv("KEYGATE_BENCH_IP")
   local context = (ip ~= nil and ip ~= "") and (', "context": {"ip": ' .. json_string(ip) .. '}') or ""
   wrk.body = '{"token": ' .. json_string(token) .. ', "permission": ' .. json_string(permission) .. context .. '}'
   if os.getenv("KEYGATE_BENCH_IP_DISTINCT") == "1" then
      local prefix = '{"token": ' .. json_string(token) .. ', "permission": ' .. json_string(permission)
                     .. ', "context": {"ip": "10.'
      local threads = 0
      function setup(thread)
         thread:set("thread_index", threads)
         threads = threads + 1
      end
      local n = 0
      function init()
         n = (thread_index or 0) * 4194304 -- 2^22 addresses per thread: no two threads send the same
      end
      function request()
         n = n + 1
         return wrk.format(nil, nil, nil, prefix .. (math.floor(n / 65536) % 256) .. "." ..
                           (math.floor(n / 256) % 256) .. "." .. (n % 256) .. '"}}')
      end
   end
end

local function ms(us)
   return string.format("%.3f", us / 1000.0)
end

function done(summary, latency, requests)
   local secs = summary.duration / 1e6
   local rps = secs > 0 and summary.requests / secs or 0
   local e = summary.errors
   io.write(string.format(
      "RESULT name=%s rps=%.1f p50_ms=%s p90_ms=%s p99_ms=%s p999_ms=%s mean_ms=%s max_ms=%s requests=%d non2xx=%d errors=%d\n",
      name, rps,
      ms(latency:percentile(50)), ms(latency:percentile(90)), ms(latency:percentile(99)),
      ms(latency:percentile(99.9)), ms(latency.mean), ms(latency.max),
      summary.requests, e.status, e.connect + e.read + e.write + e.timeout))
end
