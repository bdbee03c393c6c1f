#!/usr/bin/env python3
"""Writes the benchmark's create body: the SDK's own mapping of a real example event (recorded
through the server's admin endpoint), without the server-assigned parts, and with the local id
a placeholder (__LOCAL_ID__) that the wrk script fills in per request.
usage: make_body.py URL ADMIN_KEY EVENT.json OUT.json"""
import json, sys, urllib.request

url, admin, src, out = sys.argv[1:5]
req = urllib.request.Request(url + "/admin/events", data=open(src, "rb").read(), method="POST",
                             headers={"Ocp-Apim-Subscription-Key": admin, "Content-Type": "application/json"})
res = json.load(urllib.request.urlopen(req))
res.pop("id")
res["meta"] = {"profile": res["meta"]["profile"]}
res["identifier"] = {"system": "urn:lfpse:local-id:RJ1", "value": "__LOCAL_ID__"}
for ext in res["extension"]:
    if "adverse-event-reference-metadata" in ext["url"]:
        ext["extension"] = [e for e in ext["extension"] if e["url"] not in ("ReferenceNumber", "RecordingRoute")]
open(out, "w").write(json.dumps(res, separators=(",", ":")))
