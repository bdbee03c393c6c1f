#!/bin/sh
# Writes the handler fuzz target's seed corpus (corpus/, committed) from the SDK's examples,
# mapped to FHIR by the SDK's own CLI, so that fuzzing starts from requests that reach the
# create, update, feed, batch, token and admin paths instead of failing at the first check.
# Usage: conformance/server/fuzz/make_corpus.sh path/to/lfpse   (the CLI: build/src/cli/lfpse)
# Input format (fuzz_handlers.cpp): method byte, path byte, flags byte, header lines, an empty
# line, the body. Re-running it rewrites the same files (fixed keys and local ids).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cli=${1:?path to the lfpse CLI}
python3 - "$cli" "$here/../../../examples/events" "$here/corpus" <<'PY'
import base64, json, os, re, subprocess, sys, tempfile
cli, examples, out = sys.argv[1:4]
METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH"]
PATHS = ["/adverse-event/fhir/AdverseEvent", "/adverse-event/fhir/AdverseEvent/_history",
         "/adverse-event/fhir/AdverseEvent/x", "/adverse-event/fhir", "/adverse-event/fhir/metadata",
         "/taxonomy/5", "/oauth2/token", "/admin/events", "/admin/review/x", "/admin/faults"]
KEY, ADMIN, FHIR_CT, CURSOR = 1, 3, 4, 8  # flags: org key, admin key, fhir content type, _cursor

def event(name, org="RJ1", local_id=None):
    doc = json.load(open(os.path.join(examples, name + ".json")))
    doc["organisation"] = org
    if local_id:
        doc["local_id"] = local_id
    return doc

def fhir(name, **kw):
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(event(name, **kw), f)
    try:
        res = subprocess.run([cli, "to-fhir", "--now", "2026-11-26T12:00:00Z", f.name],
                             check=True, capture_output=True, text=True).stdout
    finally:
        os.unlink(f.name)
    return json.loads(res)

def compact(v):
    return json.dumps(v, separators=(",", ":"))

def write(name, method, path, flags, headers, body):
    data = bytes([METHODS.index(method), PATHS.index(path), flags])
    data += ("\n".join(headers) + "\n\n" + body).encode()
    open(os.path.join(out, name), "wb").write(data)

ae, hist, one, base = PATHS[0], PATHS[1], PATHS[2], PATHS[3]
n = 0
for name in ["v5-01-incident-medication", "v5-05-risk", "v5-08-all-sections", "v6-01-incident-medication-dmd"]:
    n += 1
    write("create-" + name, "POST", ae, KEY | FHIR_CT,
          ["Idempotency-Key:00000000-0000-4000-8000-%012d" % n], compact(fhir(name, local_id="FZ-%d" % n)))
wrong_org = fhir("v5-05-risk", org="RYJ", local_id="FZ-ORG")
write("create-422-other-organisation", "POST", ae, KEY | FHIR_CT,
      ["Idempotency-Key:00000000-0000-4000-8000-000000000099"], compact(wrong_org))
upd = fhir("v5-05-risk", local_id="FZ-1")
upd["id"] = "x"
write("update-if-match", "PUT", one, KEY | FHIR_CT, ['If-Match:W/"1"'], compact(upd))
write("withdraw", "DELETE", one, KEY, ['If-Match:W/"2"'], "")
write("read", "GET", one, KEY, [], "")
write("feed", "GET", hist, KEY, [], "")
write("feed-cursor", "GET", hist, KEY | CURSOR, [], "e.0")
entries = [
    {"fullUrl": "urn:uuid:00000000-0000-4000-8000-000000000100",
     "resource": fhir("v5-06-good-care", local_id="FZ-B1"), "request": {"method": "POST", "url": "AdverseEvent"}},
    {"resource": upd, "request": {"method": "PUT", "url": "AdverseEvent/x", "ifMatch": 'W/"1"'}},
    {"request": {"method": "DELETE", "url": "AdverseEvent/x"}},
]
write("batch", "POST", base, KEY | FHIR_CT, [], compact({"resourceType": "Bundle", "type": "batch", "entry": entries}))
def b64(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()
claims = {"iss": "fuzz-client", "sub": "fuzz-client", "aud": "http://127.0.0.1:1/oauth2/token",
          "exp": 1795000000, "jti": "00000000-0000-4000-8000-000000000200"}
jwt = b64(b'{"alg":"RS512","typ":"JWT"}') + "." + b64(compact(claims).encode()) + "." + b64(b"\x01" * 256)
form = ("grant_type=client_credentials&client_assertion_type="
        "urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=" + jwt)
write("token", "POST", PATHS[6], 0, ["Content-Type:application/x-www-form-urlencoded"], form)
write("admin-event", "POST", PATHS[7], ADMIN | FHIR_CT, [], compact(event("v5-07-anonymous-staff-report", org="RJ1")))
write("admin-review", "POST", PATHS[8], ADMIN | FHIR_CT, [], '{"ReviewStatus":"under-review","ReviewComment":"c"}')
write("admin-faults", "POST", PATHS[9], ADMIN | FHIR_CT, [],
      '{"rules":[{"method":"POST","path_prefix":"/adverse-event","action":"status","status":503,"times":1,"retry_after":2}]}')
write("metadata", "GET", PATHS[4], 0, [], "")
write("taxonomy", "GET", PATHS[5], KEY, ['If-None-Match:"0"'], "")
PY
ls "$here/corpus" | wc -l
