#!/usr/bin/python3
"""Lays out the conformance vectors (see README.md).

Every expected result below is written by hand from TAXONOMY.md; this script only
writes files. The checks at the end (issues sorted, ids unique) test the hand-written
data, they do not compute it.
"""
import base64
import copy
import json
import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from tax_small import SMALL_1, SMALL_2, BASE  # noqa: E402

NOW = "2026-11-26T12:00:00Z"
CASES = []
_counters = {}


def case(area, slug, requirement, kind, taxonomy, expected, input=None, input_text=None,
         input_base64=None, now=NOW, **extra):
    n = _counters.get(area, 0) + 1
    _counters[area] = n
    c = {"id": "%s/%s" % (area, slug), "requirement": requirement, "kind": kind,
         "taxonomy": taxonomy, "now": now}
    c.update(extra)
    if input is not None:
        c["input"] = input
    if input_text is not None:
        c["input_text"] = input_text
    if input_base64 is not None:
        c["input_base64"] = input_base64
    c["expected"] = expected
    CASES.append((area, "%03d-%s.json" % (n, slug), c))


def E(code, path, q=None):
    return {"severity": "error", "code": code, "path": path, "question": q}


def W(code, path, q=None):
    return {"severity": "warning", "code": code, "path": path, "question": q}


RULE_MSG = {r["id"]: r["message"] for r in SMALL_1["rules"]}
RULE_SEV = {r["id"]: r["severity"] for r in SMALL_1["rules"]}


def R(rule, path, q):
    return {"severity": RULE_SEV[rule], "code": "rule:" + rule, "path": path, "question": q,
            "message": RULE_MSG[rule]}


def V(issues, valid=None):
    if valid is None:
        valid = not any(i["severity"] == "error" for i in issues)
    return {"valid": valid, "issues": issues}


OK = {"valid": True, "issues": []}


def ev(answers, groups=None, version="901", local_id="L-1", org="RJ1", **extra):
    d = {"local_id": local_id, "taxonomy_version": version, "organisation": org,
         "answers": answers}
    if groups is not None:
        d["groups"] = groups
    d.update(extra)
    return d


def inst(**answers):
    return {"answers": answers}


S = "small.json"
S2 = "small-2.json"

# ---------------------------------------------------------------- malformed
A = "malformed"
REQ6 = "TAXONOMY.md 6 (input that is not an event document): one malformed issue at \"\" and nothing else"
MAL = V([E("malformed", "")])
case(A, "not-json", REQ6 + ": not JSON", "validate", S, MAL, input_text="local_id: L-1")
case(A, "empty-text", REQ6 + ": empty text", "validate", S, MAL, input_text="")
case(A, "syntax-error", REQ6 + ": missing closing brace", "validate", S, MAL,
     input_text='{"local_id":"L-1","taxonomy_version":"901","organisation":"RJ1","answers":{"K01":"1"}')
case(A, "trailing-text", REQ6 + ": trailing text after the value", "validate", S, MAL,
     input_text='{"local_id":"L-1","taxonomy_version":"901","organisation":"RJ1","answers":{"K01":"1"}} x')
case(A, "two-values", REQ6 + ": two JSON values", "validate", S, MAL,
     input_text='{"local_id":"L-1","taxonomy_version":"901","organisation":"RJ1","answers":{"K01":"1"}}{}')
case(A, "nan", REQ6 + ": NaN is not JSON", "validate", S, MAL,
     input_text='{"local_id":"L-1","taxonomy_version":"901","organisation":"RJ1","answers":{"K01":"1","N01":NaN}}')
case(A, "infinity", REQ6 + ": Infinity is not JSON", "validate", S, MAL,
     input_text='{"local_id":"L-1","taxonomy_version":"901","organisation":"RJ1","answers":{"K01":"1","N01":Infinity}}')
case(A, "minus-infinity", REQ6 + ": -Infinity is not JSON", "validate", S, MAL,
     input_text='{"local_id":"L-1","taxonomy_version":"901","organisation":"RJ1","answers":{"K01":"1","N01":-Infinity}}')
case(A, "repeated-top-member", REQ6 + ": a member name repeated in one object", "validate", S, MAL,
     input_text='{"local_id":"L-1","local_id":"L-2","taxonomy_version":"901","organisation":"RJ1","answers":{"K01":"1"}}')
case(A, "repeated-answer-member", REQ6 + ": a member name repeated inside answers", "validate", S, MAL,
     input_text='{"local_id":"L-1","taxonomy_version":"901","organisation":"RJ1","answers":{"K01":"1","K01":"1"}}')
case(A, "invalid-utf8", REQ6 + ": invalid UTF-8 (byte 0xFF inside a string)", "validate", S, MAL,
     input_base64=base64.b64encode(
         b'{"local_id":"L-1","taxonomy_version":"901","organisation":"RJ1","answers":{"K01":"1","T01":"ab\xffc"}}').decode())
case(A, "root-array", REQ6 + ": a root that is not an object (array)", "validate", S, MAL,
     input_text='[{"local_id":"L-1"}]')
case(A, "root-string", REQ6 + ": a root that is not an object (string)", "validate", S, MAL,
     input_text='"L-1"')
case(A, "root-null", REQ6 + ": a root that is not an object (null)", "validate", S, MAL,
     input_text="null")
case(A, "root-number", REQ6 + ": a root that is not an object (number)", "validate", S, MAL,
     input_text="42")
_head = '{"local_id":"L-1","taxonomy_version":"901","organisation":"RJ1","answers":{"K01":"1"},"x":'
# top-level object = level 1; each array below it one more level
case(A, "depth-64-accepted", "TAXONOMY.md 6: nesting of exactly 64 levels (top object + 63 arrays) is JSON; "
     "the unknown member x holding it is malformed at /x and validation goes on", "validate", S,
     V([E("malformed", "/x")]), input_text=_head + "[" * 63 + "]" * 63 + "}")
case(A, "depth-65-refused", REQ6 + ": nesting of 65 levels (top object + 64 arrays)", "validate", S, MAL,
     input_text=_head + "[" * 64 + "]" * 64 + "}")
case(A, "depth-65-objects", REQ6 + ": nesting of 65 levels of objects", "validate", S, MAL,
     input_text=_head + '{"a":' * 64 + "1" + "}" * 64 + "}")
case(A, "depth-64-objects", "TAXONOMY.md 6: 64 levels of objects (top object + 63) is JSON", "validate", S,
     V([E("malformed", "/x")]), input_text=_head + '{"a":' * 63 + "1" + "}" * 63 + "}")

# ---------------------------------------------------------------- document shape
A = "document"
case(A, "minimal-valid", "TAXONOMY.md 3.1/3.2: the smallest valid event of the small taxonomy", "validate", S,
     OK, input=ev({"K01": "1"}))
case(A, "unknown-top-member", "TAXONOMY.md 6: a member the shape does not have is malformed at that member; "
     "validation goes on", "validate", S,
     V([E("required", "/answers/K01", "K01"), E("malformed", "/note")]),
     input=ev({}, note="x"))
case(A, "local-id-number", "TAXONOMY.md 6: local_id not a string is malformed at /local_id", "validate", S,
     V([E("malformed", "/local_id")]), input=ev({"K01": "1"}, local_id=12))
case(A, "organisation-number", "TAXONOMY.md 6: organisation not a string is malformed at /organisation",
     "validate", S, V([E("malformed", "/organisation")]), input=ev({"K01": "1"}, org=123))
case(A, "groups-array", "TAXONOMY.md 6: groups not an object is malformed at /groups (no checks inside)",
     "validate", S, V([E("malformed", "/groups")]), input=ev({"K01": "1"}, [inst(G11="Pump")]))
case(A, "group-not-array", "TAXONOMY.md 6: a group that is not an array is malformed at its member",
     "validate", S, V([E("malformed", "/groups/item")]), input=ev({"K01": "1"}, {"item": {"answers": {}}}))
case(A, "instance-not-object", "TAXONOMY.md 6: an instance that is not an object is malformed at it; "
     "no taxonomy checks inside it", "validate", S,
     V([E("malformed", "/groups/item/0")]), input=ev({"K01": "1"}, {"item": ["Pump"]}))
case(A, "instance-extra-member", "TAXONOMY.md 6: a member of an instance other than answers is malformed; "
     "validation goes on", "validate", S,
     V([E("malformed", "/groups/item/0/note")]),
     input=ev({"K01": "1"}, {"item": [{"answers": {"G11": "Pump"}, "note": "x"}]}))
case(A, "answers-array-unknown-version", "TAXONOMY.md 6: answers not an object is malformed at /answers; "
     "an unloaded version is unknown-version", "validate", S,
     V([E("malformed", "/answers"), E("unknown-version", "/taxonomy_version")]),
     input=ev([], version="899"))
case(A, "missing-local-id", "TAXONOMY.md 6: a missing local_id is invalid-local-id at its would-be path",
     "validate", S, V([E("invalid-local-id", "/local_id")]),
     input={"taxonomy_version": "901", "organisation": "RJ1", "answers": {"K01": "1"}})
case(A, "missing-organisation", "TAXONOMY.md 6: a missing organisation is invalid-organisation",
     "validate", S, V([E("invalid-organisation", "/organisation")]),
     input={"local_id": "L-1", "taxonomy_version": "901", "answers": {"K01": "1"}})
for slug, lid in [("local-id-empty", ""), ("local-id-space", "L 1"), ("local-id-slash", "LRMS/1"),
                  ("local-id-non-ascii", "L-\u00e91"), ("local-id-65-chars", "a" * 65)]:
    case(A, slug, "TAXONOMY.md 3.1: local_id is 1-64 chars of [A-Za-z0-9._:-]", "validate", S,
         V([E("invalid-local-id", "/local_id")]), input=ev({"K01": "1"}, local_id=lid))
case(A, "local-id-64-chars", "TAXONOMY.md 3.1: a local_id of exactly 64 characters is fine", "validate", S,
     OK, input=ev({"K01": "1"}, local_id="A" * 64))
case(A, "local-id-all-punctuation", "TAXONOMY.md 3.1: . _ : - are allowed in a local_id", "validate", S,
     OK, input=ev({"K01": "1"}, local_id="a.b_c:d-E9"))
for slug, org in [("organisation-lower-case", "rj1"), ("organisation-7-chars", "RJ1AB12"),
                  ("organisation-2-chars", "RJ"), ("organisation-empty", "")]:
    case(A, slug, "TAXONOMY.md 3.1/6: organisation is an ODS code [A-Z0-9]{3,6}", "validate", S,
         V([E("invalid-organisation", "/organisation")]), input=ev({"K01": "1"}, org=org))
case(A, "organisation-site-code", "TAXONOMY.md 1: a 5-character ODS site code is a valid organisation",
     "validate", S, OK, input=ev({"K01": "1"}, org="RJ122"))
case(A, "unknown-version", "TAXONOMY.md 6: an unloaded taxonomy_version is unknown-version and nothing else "
     "is checked against a taxonomy", "validate", S,
     V([E("unknown-version", "/taxonomy_version")]),
     input=ev({"ZZ001": 5, "K01": ["9"]}, {"nothing": [{"answers": {"Q": 1}}]}, version="4"))
case(A, "missing-version", "TAXONOMY.md 6: a missing taxonomy_version is unknown-version", "validate", S,
     V([E("unknown-version", "/taxonomy_version")]),
     input={"local_id": "L-1", "organisation": "RJ1", "answers": {"K01": "1"}})
case(A, "unknown-version-and-bad-ids", "TAXONOMY.md 3.2/6: local_id and organisation are still checked "
     "when the version is not loaded; sorted by path", "validate", S,
     V([E("invalid-local-id", "/local_id"), E("invalid-organisation", "/organisation"),
        E("unknown-version", "/taxonomy_version")]),
     input=ev({"K01": "1"}, version="small-1", local_id="", org="rj1"))
case(A, "unknown-question-top", "TAXONOMY.md 3.2: an answer key the taxonomy does not define", "validate", S,
     V([E("unknown-question", "/answers/ZZ001", "ZZ001")]), input=ev({"K01": "1", "ZZ001": "x"}))
case(A, "group-question-at-top", "TAXONOMY.md 6: a group question answered at the top level is "
     "unknown-question, question = the key", "validate", S,
     V([E("unknown-question", "/answers/G01", "G01")]), input=ev({"K01": "1", "G01": "5"}))
case(A, "top-question-in-instance", "TAXONOMY.md 6: a top-level question inside an instance is "
     "unknown-question", "validate", S,
     V([E("unknown-question", "/groups/item/0/answers/T01", "T01")]),
     input=ev({"K01": "1"}, {"item": [inst(G11="Pump", T01="ab")]}))
case(A, "other-group-question-in-instance", "TAXONOMY.md 3.2: an answer key that the group does not "
     "define is unknown-question", "validate", S,
     V([E("unknown-question", "/groups/item/0/answers/G01", "G01")]),
     input=ev({"K01": "1"}, {"item": [inst(G11="Pump", G01="5")]}))
case(A, "unknown-group", "TAXONOMY.md 3.2: a group id the taxonomy does not define is unknown-group",
     "validate", S, V([E("unknown-group", "/groups/visitor")]),
     input=ev({"K01": "1"}, {"visitor": [{"answers": {}}]}))

# ---------------------------------------------------------------- types and formats
A = "types"
T6 = "TAXONOMY.md 6 (formats): "


def one(code, q, value, req, issues=None, valid_ok=False, path=None, text=None):
    """A case whose event is {K01: "1", q: value}; issues written by hand (default: invalid-type at q)."""
    if issues is None:
        issues = [] if valid_ok else [E("invalid-type", path or "/answers/" + q, q)]
    if text is not None:
        case(A, code, req, "validate", S, V(issues), input_text=text)
    else:
        case(A, code, req, "validate", S, V(issues), input=ev({"K01": "1", q: value}))


def raw(q, spelled):
    return ('{"local_id":"L-1","taxonomy_version":"901","organisation":"RJ1",'
            '"answers":{"K01":"1","%s":%s}}' % (q, spelled))


one("integer-5.0", "I02", None, T6 + "an integer written with a fraction (5.0) is invalid-type",
    text=raw("I02", "5.0"))
one("integer-5e0", "I02", None, T6 + "an integer written with an exponent (5e0) is invalid-type",
    text=raw("I02", "5e0"))
one("integer-5E2", "I02", None, T6 + "an integer written with an exponent (5E2) is invalid-type",
    text=raw("I02", "5E2"))
one("integer-2147483648", "I02", None, T6 + "2147483648 is outside FHIR's integer range",
    text=raw("I02", "2147483648"))
one("integer-minus-2147483649", "I02", None, T6 + "-2147483649 is outside FHIR's integer range",
    text=raw("I02", "-2147483649"))
one("integer-2147483647", "I02", None, T6 + "2147483647 is the largest integer", valid_ok=True,
    text=raw("I02", "2147483647"))
one("integer-minus-2147483648", "I02", None, T6 + "-2147483648 is the smallest integer", valid_ok=True,
    text=raw("I02", "-2147483648"))
one("integer-string", "I02", "5", "TAXONOMY.md 3.1: integers are JSON numbers, not strings")
one("integer-boolean", "I02", True, "TAXONOMY.md 3.1: a boolean is not an integer")
one("decimal-exponent", "N01", None, T6 + "a decimal is any JSON number (1e1)", valid_ok=True,
    text=raw("N01", "1e1"))
one("decimal-string", "N01", "1.5", "TAXONOMY.md 3.1: decimals are JSON numbers, not strings")
one("boolean-string", "B01", "true", "TAXONOMY.md 3.1: booleans are JSON booleans, not strings")
one("boolean-number", "B01", 1, "TAXONOMY.md 3.1: 1 is not a boolean")
one("text-number", "S09", 5, "TAXONOMY.md 3.1: text answers are strings")
one("text-boolean", "S09", True, "TAXONOMY.md 3.1: text answers are strings")
one("text-list", "S09", ["a"], "TAXONOMY.md 3.1: a list is not a text answer")
one("text-object", "S09", {"v": "a"}, "TAXONOMY.md 6: an object is no answer and invalid-type wherever it stands")
one("text-null", "T01", None, "TAXONOMY.md 6: null is no answer and invalid-type (no length checks)")
one("choice-number", "C01", 1, "TAXONOMY.md 3.1: choice answers are option codes as strings")
one("multichoice-string", "M01", "a", "TAXONOMY.md 3.1: multichoice answers are arrays of codes")
one("multichoice-item-number", "M01", ["a", 1], "TAXONOMY.md 6: a non-string multichoice item is "
    "invalid-type at the item's path", path="/answers/M01/1")
one("multichoice-item-null", "M01", ["a", None], "TAXONOMY.md 6: a null item is invalid-type at the "
    "item's path", path="/answers/M01/1")
for slug, v in [("date-2025-02-29", "2025-02-29"), ("date-2025-04-31", "2025-04-31"),
                ("date-month-13", "2025-13-01"), ("date-one-digit-day", "2025-11-5"),
                ("date-slashes", "2025/11/05"), ("date-with-time", "2025-11-05T00:00:00Z"),
                ("date-1900-02-29", "1900-02-29")]:
    one(slug, "D01", v, T6 + "date is YYYY-MM-DD, a real calendar day: %s" % v)
one("date-number", "D01", 20251105, "TAXONOMY.md 3.1: a date is a string")
for slug, v in [("date-2024-02-29", "2024-02-29"), ("date-2000-02-29", "2000-02-29")]:
    one(slug, "D01", v, T6 + "leap days are real calendar days: %s" % v, valid_ok=True)
for slug, v in [("yearmonth-month-13", "2025-13"), ("yearmonth-month-00", "2025-00"),
                ("yearmonth-one-digit", "2025-1"), ("yearmonth-full-date", "2025-11-01")]:
    one(slug, "Y01", v, T6 + "yearmonth is YYYY-MM: %s" % v)
one("yearmonth-valid", "Y01", "2025-12", T6 + "yearmonth 2025-12", valid_ok=True)
for slug, v in [("time-24-00", "24:00"), ("time-12-60", "12:60"), ("time-one-digit-hour", "9:30"),
                ("time-with-seconds", "09:30:00")]:
    one(slug, "TM1", v, T6 + "time is HH:MM, 00:00-23:59: %s" % v)
one("time-number", "TM1", 930, "TAXONOMY.md 3.1: a time is a string")
for slug, v in [("time-23-59", "23:59"), ("time-00-00", "00:00")]:
    one(slug, "TM1", v, T6 + "time %s" % v, valid_ok=True)
for slug, v in [("datetime-no-seconds", "2025-11-20T10:00Z"),
                ("datetime-lower-case-t", "2025-11-20t10:00:00Z"),
                ("datetime-lower-case-z", "2025-11-20T10:00:00z"),
                ("datetime-no-offset", "2025-11-20T10:00:00"),
                ("datetime-space", "2025-11-20 10:00:00Z"),
                ("datetime-offset-no-colon", "2025-11-20T10:00:00+0100"),
                ("datetime-hour-25", "2025-11-20T25:00:00Z"),
                ("datetime-date-only", "2025-11-20")]:
    one(slug, "DT1", v, T6 + "datetime as FHIR writes it (upper-case T and Z, seconds and offset "
        "required): %s" % v)
for slug, v in [("datetime-second-60", "2016-12-31T23:59:60Z"),
                ("datetime-long-fraction", "2025-11-20T10:00:00.123456789+05:30"),
                ("datetime-negative-offset", "2025-11-20T10:00:00-03:00")]:
    one(slug, "DT1", v, T6 + "valid datetime: %s" % v, valid_ok=True)
for slug, v in [("ods-lower-case", "rj1"), ("ods-7-chars", "RJ1AB12"), ("ods-2-chars", "RJ"),
                ("ods-space", "RJ 1")]:
    one(slug, "O01", v, T6 + "ods is [A-Z0-9]{3,6}: %s" % v)
one("ods-number", "O01", 123, "TAXONOMY.md 3.1: an ODS code is a string")
for slug, v in [("ods-site-5", "RJ122"), ("ods-6-chars", "R1A2B3")]:
    one(slug, "O01", v, T6 + "valid ODS code %s" % v, valid_ok=True)
one("nhs-number-valid", "H01", "9434765919", T6 + "9434765919 passes the modulus 11 check", valid_ok=True)
for slug, v, why in [("nhs-number-wrong-check", "9434765918", "fails the check digit"),
                     ("nhs-number-9-digits", "943476591", "has 9 digits"),
                     ("nhs-number-11-digits", "94347659190", "has 11 digits"),
                     ("nhs-number-spaces", "943 476 5919", "is not exactly 10 ASCII digits"),
                     ("nhs-number-check-10", "0000000060", "has a check value of 10 (never valid)")]:
    one(slug, "H01", v, T6 + "an nhs_number that %s is invalid-type" % why)
one("nhs-number-as-number", "H01", 9434765919, "TAXONOMY.md 3.1: an NHS number is a string")
case(A, "required-null", "TAXONOMY.md 6: a null answer to a required question is invalid-type and required",
     "validate", S, V([E("invalid-type", "/answers/K01", "K01"), E("required", "/answers/K01", "K01")]),
     input=ev({"K01": None}))
case(A, "required-empty-string", "TAXONOMY.md 3.2: \"\" counts as no answer (required, nothing else)",
     "validate", S, V([E("required", "/answers/K01", "K01")]), input=ev({"K01": ""}))
case(A, "empty-answers-are-no-answers", "TAXONOMY.md 3.2: \"\" and [] are no answers: not not-applicable "
     "for a hidden question, no format check", "validate", S, OK,
     input=ev({"K01": "1", "S10": "", "D01": "", "M01": [], "H01": ""}))
case(A, "group-null-required", "TAXONOMY.md 6: null in an instance is invalid-type, and the required question "
     "has no answer", "validate", S,
     V([E("invalid-type", "/groups/person/0/answers/G01", "G01"),
        E("required", "/groups/person/0/answers/G01", "G01")]),
     input=ev({"K01": "2"}, {"person": [inst(G01=None)]}))
FS = T6 + "a text answer holding a character below U+0020 other than tab, LF or CR is invalid-type (FHIR R4 " \
    "strings cannot hold one)"
one("text-control-u0001", "S09", "a\u0001b", FS + ": U+0001")
one("text-control-nul", "S09", None, FS + ": U+0000, written \\u0000", text=raw("S09", '"a\\u0000b"'))
one("text-control-escape", "S09", "\u001b[0m", FS + ": U+001B (ESC) at the start")
one("text-control-u001f", "S09", "end\u001f", FS + ": U+001F, the last control, at the end")
one("text-control-backspace-formfeed", "S09", "a\bb\fc", FS + ": backspace and form feed")
one("text-control-no-constraint", "T01", "\u0001", FS + ", and then not constraint-checked (1 code point < "
    "min_length 2 is not reported)")
one("text-control-no-pattern", "T03", "AB\u000b12", FS + ", and then not constraint-checked (pattern not "
    "reported): U+000B (vertical tab)")
one("text-control-not-scanned", "T02", "Call 07700 900123 or j.smith@example.org\u0007", FS + ", and then not "
    "scanned (no phone or email warning)")
one("text-tab-lf-cr-allowed", "T02", "Line 1\tcol\nLine 2\r\nLine 3\r", T6 + "tab, LF and CR are allowed in a "
    "text answer", valid_ok=True)
one("text-del-and-c1-allowed", "S09", "a\u007fb\u0085c\u009fd", T6 + "U+007F and the C1 controls (U+0080-U+009F) "
    "are not below U+0020: allowed", valid_ok=True)
case(A, "text-control-hidden-question", FS + "; a hidden answer is still checked for type", "validate", S,
     V([E("invalid-type", "/answers/S10", "S10"), E("not-applicable", "/answers/S10", "S10")]),
     input=ev({"K01": "1", "S10": "x\u0002"}))
case(A, "text-control-in-group", FS + ", in a group instance; a required answer holding one is still an answer",
     "validate", S,
     V([E("invalid-type", "/groups/item/0/answers/G11", "G11"),
        E("invalid-type", "/groups/person/0/answers/G05", "G05")]),
     input=ev({"K01": "2"}, {"person": [inst(G01="5", G05="Seen at 07700 900123\u0003")],
                            "item": [inst(G11="\u0004")]}))
case(A, "text-control-raw-is-malformed", "TAXONOMY.md 6: a raw U+0001 inside a JSON string is not JSON: "
     "one malformed issue", "validate", S, V([E("malformed", "")]),
     input_text='{"local_id":"L-1","taxonomy_version":"901","organisation":"RJ1","answers":{"K01":"1",'
                '"S09":"a\u0001b"}}')

# ---------------------------------------------------------------- option codes and cardinality
A = "codes"
case(A, "choice-unknown-code", "TAXONOMY.md 3.2: an option code the question does not have", "validate", S,
     V([E("invalid-code", "/answers/C01", "C01")]), input=ev({"K01": "1", "C01": "9"}))
case(A, "required-choice-unknown-code", "TAXONOMY.md 3.2: an unknown code is an answer (invalid-code, "
     "not required)", "validate", S, V([E("invalid-code", "/answers/K01", "K01")]), input=ev({"K01": "4"}))
case(A, "codes-case-sensitive", "TAXONOMY.md 6: an unknown multichoice item is invalid-code at the item's "
     "path (codes compare exactly)", "validate", S, V([E("invalid-code", "/answers/M01/0", "M01")]),
     input=ev({"K01": "1", "M01": ["A"]}))
case(A, "multichoice-unknown-item", "TAXONOMY.md 6: an unknown multichoice item is invalid-code at "
     "/answers/Q/i", "validate", S, V([E("invalid-code", "/answers/M01/1", "M01")]),
     input=ev({"K01": "1", "M01": ["a", "z"]}))
case(A, "group-unknown-code", "TAXONOMY.md 3.2: invalid-code inside a group instance", "validate", S,
     V([E("invalid-code", "/groups/person/0/answers/G01", "G01")]),
     input=ev({"K01": "2"}, {"person": [inst(G01="0")]}))
case(A, "retired-option-older-version", "TAXONOMY.md 4: an option that a later version retires is valid for "
     "events of the older version", "validate", S, OK, input=ev({"K01": "1", "C01": "3", "M01": ["a", "c"]}))
case(A, "retired-option-newer-version", "TAXONOMY.md 1/4: a retired option is invalid-code for events of the "
     "version that retires it", "validate", S2, V([E("invalid-code", "/answers/C01", "C01")]),
     input=ev({"K01": "1", "C01": "3"}, version="902"))
case(A, "removed-option-newer-version", "TAXONOMY.md 4/6: an option gone from the newer version is "
     "invalid-code", "validate", S2, V([E("invalid-code", "/answers/C01", "C01")]),
     input=ev({"K01": "1", "C01": "4"}, version="902"))
case(A, "retired-multichoice-item-newer-version", "TAXONOMY.md 4/6: a retired multichoice item is invalid-code "
     "at the item's path", "validate", S2, V([E("invalid-code", "/answers/M01/1", "M01")]),
     input=ev({"K01": "1", "M01": ["a", "c"]}, version="902"))
case(A, "removed-question-newer-version", "TAXONOMY.md 3.2/4: a question the newer version removed is "
     "unknown-question", "validate", S2, V([E("unknown-question", "/answers/S13", "S13")]),
     input=ev({"K01": "1", "C01": "2", "S01": "x", "S13": "y"}, version="902"))
case(A, "removed-group-newer-version", "TAXONOMY.md 3.2/4: a group the newer version removed is unknown-group",
     "validate", S2, V([E("unknown-group", "/groups/item")]),
     input=ev({"K01": "1"}, {"item": [{"answers": {}}]}, version="902"))
case(A, "choice-given-list", "TAXONOMY.md 3.2: a list for a choice is invalid-cardinality", "validate", S,
     V([E("invalid-cardinality", "/answers/C01", "C01")]), input=ev({"K01": "1", "C01": ["1"]}))
case(A, "choice-list-in-condition", "TAXONOMY.md 6: in on a list given to a choice holds when any item is in "
     "the list (S01 shown and required)", "validate", S,
     V([E("invalid-cardinality", "/answers/C01", "C01"), E("required", "/answers/S01", "S01")]),
     input=ev({"K01": "1", "C01": ["2"]}))
case(A, "multichoice-duplicates", "TAXONOMY.md 6: a repeated code is invalid-cardinality at each later "
     "occurrence", "validate", S,
     V([E("invalid-cardinality", "/answers/M01/2", "M01"), E("invalid-cardinality", "/answers/M01/3", "M01")]),
     input=ev({"K01": "1", "M01": ["a", "b", "a", "a"]}))
case(A, "multichoice-duplicate-not-adjacent", "TAXONOMY.md 6: the later occurrence is reported, not the first",
     "validate", S, V([E("invalid-cardinality", "/answers/M01/2", "M01")]),
     input=ev({"K01": "1", "M01": ["b", "a", "b"]}))
case(A, "duplicates-count-for-max-items", "TAXONOMY.md 6: max_items counts the array as given, duplicates "
     "included", "validate", S,
     V([E("constraint:max_items", "/answers/M02", "M02"), E("invalid-cardinality", "/answers/M02/1", "M02"),
        E("invalid-cardinality", "/answers/M02/2", "M02"), E("invalid-cardinality", "/answers/M02/3", "M02")]),
     input=ev({"K01": "1", "M02": ["1", "1", "1", "1"]}))
case(A, "duplicates-count-for-min-items", "TAXONOMY.md 6: min_items counts the array as given (2 items, "
     "one repeated)", "validate", S, V([E("invalid-cardinality", "/answers/M02/1", "M02")]),
     input=ev({"K01": "1", "M02": ["1", "1"]}))
case(A, "group-below-min-absent", "TAXONOMY.md 1/3.2: a shown group with fewer instances than min",
     "validate", S, V([E("invalid-cardinality", "/groups/person")]), input=ev({"K01": "2"}))
case(A, "group-below-min-empty", "TAXONOMY.md 1/3.2: an empty array of a shown group with min 1",
     "validate", S, V([E("invalid-cardinality", "/groups/person")]), input=ev({"K01": "2"}, {"person": []}))
case(A, "group-above-max", "TAXONOMY.md 1/3.2: more instances than max; each instance still validated",
     "validate", S,
     V([E("invalid-cardinality", "/groups/person"), E("invalid-code", "/groups/person/2/answers/G01", "G01")]),
     input=ev({"K01": "2"}, {"person": [inst(G01="5"), inst(G01="4"), inst(G01="7")]}))
case(A, "group-at-max", "TAXONOMY.md 1: max instances is fine", "validate", S, OK,
     input=ev({"K01": "2"}, {"person": [inst(G01="5"), inst(G01="4")]}))
case(A, "always-shown-group-above-max", "TAXONOMY.md 1: a group shown by {all: []} with max 3 and 4 instances",
     "validate", S, V([E("invalid-cardinality", "/groups/item")]),
     input=ev({"K01": "1"}, {"item": [inst(G11="A"), inst(G11="B"), inst(G11="C"), inst(G11="D")]}))
case(A, "hidden-group-instances", "TAXONOMY.md 6: instances of a hidden group are not-applicable at "
     "/groups/<id> and each answer at its own path, with the same value checks; no min/max", "validate", S,
     V([E("not-applicable", "/groups/person"), E("invalid-code", "/groups/person/0/answers/G01", "G01"),
        E("not-applicable", "/groups/person/0/answers/G01", "G01"),
        E("not-applicable", "/groups/person/0/answers/G05", "G05"),
        E("not-applicable", "/groups/person/1/answers/G01", "G01"),
        E("not-applicable", "/groups/person/2/answers/G01", "G01")]),
     input=ev({"K01": "1"}, {"person": [inst(G01="9", G05="note"), inst(G01="5"), inst(G01="4")]}))
case(A, "hidden-question-answered", "TAXONOMY.md 3.2: an answer to a question that is not shown",
     "validate", S, V([E("not-applicable", "/answers/S10", "S10")]), input=ev({"K01": "1", "S10": "x"}))
case(A, "hidden-question-bad-type", "TAXONOMY.md 6: a hidden answer is still checked for type",
     "validate", S, V([E("invalid-type", "/answers/S10", "S10"), E("not-applicable", "/answers/S10", "S10")]),
     input=ev({"K01": "1", "S10": 5}))
case(A, "hidden-question-constraint", "TAXONOMY.md 6: a hidden answer is still checked for constraints",
     "validate", S,
     V([E("constraint:not_future", "/answers/Y01", "Y01"), E("not-applicable", "/answers/Y01", "Y01")]),
     input=ev({"K01": "1", "D01": "2026-11-01", "Y01": "2027-01"}))

HG = "TAXONOMY.md 6: a hidden group with instances is not-applicable at /groups/<id> whether or not an " \
    "instance is itself malformed"
case(A, "hidden-group-instance-not-object", HG + ": the only instance is not an object", "validate", S,
     V([E("not-applicable", "/groups/person"), E("malformed", "/groups/person/0")]),
     input=ev({"K01": "1"}, {"person": [5]}))
case(A, "hidden-group-answers-not-object", HG + ": the instance's answers is not an object (no checks inside)",
     "validate", S, V([E("not-applicable", "/groups/person"), E("malformed", "/groups/person/0/answers")]),
     input=ev({"K01": "1"}, {"person": [{"answers": ["5"]}]}))
case(A, "hidden-group-mixed-instances", HG + ": a malformed instance beside a well-formed one, whose answers "
     "are not-applicable", "validate", S,
     V([E("not-applicable", "/groups/person"), E("malformed", "/groups/person/0"),
        E("not-applicable", "/groups/person/1/answers/G01", "G01"), E("malformed", "/groups/person/1/note")]),
     input=ev({"K01": "1"}, {"person": [None, {"answers": {"G01": "5"}, "note": "x"}]}))

# ---------------------------------------------------------------- constraints
A = "constraints"


def c1(slug, q, value, req, issues):
    case(A, slug, req, "validate", S, V(issues), input=ev({"K01": "1", q: value}))


LEN = "TAXONOMY.md 6: string lengths count Unicode code points; "
c1("max-length-ascii-11", "T01", "abcdefghijk", LEN + "11 > max_length 10",
   [E("constraint:max_length", "/answers/T01", "T01")])
c1("max-length-ascii-10", "T01", "abcdefghij", LEN + "10 = max_length 10", [])
c1("max-length-2-byte-10", "T01", "\u00e9" * 10, LEN + "10 x U+00E9 (20 bytes) is 10 code points", [])
c1("max-length-2-byte-11", "T01", "\u00e9" * 11, LEN + "11 x U+00E9 is 11 code points",
   [E("constraint:max_length", "/answers/T01", "T01")])
c1("max-length-astral-10", "T01", "\U0001F600" * 10, LEN + "10 emoji (20 UTF-16 units, 40 bytes) are 10 "
   "code points", [])
c1("max-length-astral-11", "T01", "\U0001F600" * 11, LEN + "11 emoji are 11 code points",
   [E("constraint:max_length", "/answers/T01", "T01")])
c1("min-length-ascii-1", "T01", "a", LEN + "1 < min_length 2", [E("constraint:min_length", "/answers/T01", "T01")])
c1("min-length-ascii-2", "T01", "ab", LEN + "2 = min_length 2", [])
c1("min-length-2-byte-1", "T01", "\u00e9", LEN + "U+00E9 (2 bytes) is 1 code point",
   [E("constraint:min_length", "/answers/T01", "T01")])
c1("min-length-astral-1", "T01", "\U0001F600", LEN + "one emoji (2 UTF-16 units) is 1 code point",
   [E("constraint:min_length", "/answers/T01", "T01")])
c1("min-length-combining-2", "T01", "e\u0301", LEN + "e + U+0301 combining accent is 2 code points", [])
PAT = "TAXONOMY.md 6: pattern is an ECMAScript regex matched against the whole string; "
c1("pattern-match", "T03", "AB12", PAT + "AB12 matches ^[A-Z]{2}[0-9]{2}$", [])
c1("pattern-lower-case", "T03", "ab12", PAT + "ab12 does not match",
   [E("constraint:pattern", "/answers/T03", "T03")])
c1("pattern-longer", "T03", "AB123", PAT + "AB123 does not match the whole pattern",
   [E("constraint:pattern", "/answers/T03", "T03")])
c1("pattern-prefix", "T03", "xAB12", PAT + "xAB12 does not match the whole pattern",
   [E("constraint:pattern", "/answers/T03", "T03")])
c1("pattern-trailing-newline", "T03", "AB12\n", PAT + "in ECMAScript $ does not match before a final "
   "newline", [E("constraint:pattern", "/answers/T03", "T03")])
c1("min-integer-below", "I01", -1, "TAXONOMY.md 1: min", [E("constraint:min", "/answers/I01", "I01")])
c1("min-integer-equal", "I01", 0, "TAXONOMY.md 1: min is inclusive", [])
c1("max-integer-above", "I01", 121, "TAXONOMY.md 1: max", [E("constraint:max", "/answers/I01", "I01")])
c1("max-integer-large", "I01", 2147483647, "TAXONOMY.md 1: max (a valid integer far above)",
   [E("constraint:max", "/answers/I01", "I01")])
case(A, "max-integer-equal", "TAXONOMY.md 1: max is inclusive (120; S07 shown by gte 18, unanswered)",
     "validate", S, OK, input=ev({"K01": "1", "I01": 120}))
c1("min-decimal-below", "N01", 0.4, "TAXONOMY.md 1: min on a decimal", [E("constraint:min", "/answers/N01", "N01")])
c1("min-decimal-equal", "N01", 0.5, "TAXONOMY.md 1: min on a decimal is inclusive", [])
c1("max-decimal-above", "N01", 99.6, "TAXONOMY.md 1: max on a decimal", [E("constraint:max", "/answers/N01", "N01")])
c1("max-decimal-equal", "N01", 99.5, "TAXONOMY.md 1: max on a decimal is inclusive", [])
c1("min-items-below", "M02", ["1"], "TAXONOMY.md 1: min_items", [E("constraint:min_items", "/answers/M02", "M02")])
c1("min-items-equal", "M02", ["1", "2"], "TAXONOMY.md 1: min_items is inclusive", [])
c1("max-items-above", "M02", ["1", "2", "3", "4"], "TAXONOMY.md 1: max_items",
   [E("constraint:max_items", "/answers/M02", "M02")])
c1("max-items-equal", "M02", ["3", "2", "1"], "TAXONOMY.md 1: max_items is inclusive", [])
c1("list-constraint-with-invalid-item", "M02", ["9"], "TAXONOMY.md 6: list constraints are checked even when "
   "an item is invalid", [E("constraint:min_items", "/answers/M02", "M02"),
                          E("invalid-code", "/answers/M02/0", "M02")])
c1("invalid-item-counts", "M02", ["1", "9"], "TAXONOMY.md 6: min_items counts the array as given "
   "(an invalid item counts)", [E("invalid-code", "/answers/M02/1", "M02")])
c1("exclusive-combined", "M01", ["a", "x"], "TAXONOMY.md 1: an exclusive option combined with another",
   [E("constraint:exclusive", "/answers/M01", "M01")])
c1("exclusive-first", "M01", ["x", "b"], "TAXONOMY.md 1: exclusive, whatever the order",
   [E("constraint:exclusive", "/answers/M01", "M01")])
c1("exclusive-alone", "M01", ["x"], "TAXONOMY.md 1: an exclusive option alone is fine", [])
c1("exclusive-and-max-items", "M01", ["a", "b", "c", "d", "x"], "TAXONOMY.md 3.2: two constraint issues "
   "at one path sort by code", [E("constraint:exclusive", "/answers/M01", "M01"),
                                E("constraint:max_items", "/answers/M01", "M01")])
STEP = "TAXONOMY.md 6 (steps): the value lies in one band and value % step == 0; "
for v, ok in [(1, True), (30, True), (31, True), (32, False), (62, True), (341, True), (371, False), (372, True),
              (373, False), (744, True), (0, False), (74028, True), (74029, False), (74400, False),
              (400, False), (-31, False)]:
    case(A, "steps-%s" % str(v).replace("-", "minus-"), STEP + "%d %s" % (v, "fits" if ok else "does not fit"),
         "validate", S, OK if ok else V([E("constraint:steps", "/groups/person/0/answers/G02", "G02")]),
         input=ev({"K01": "2"}, {"person": [inst(G01="5", G02=v)]}))

# ---------------------------------------------------------------- clock (not_future)
A = "clock"
CLK = "TAXONOMY.md 3.3: "


def clk(slug, now, answers, issues, req):
    a = {"K01": "1"}
    a.update(answers)
    case(A, slug, CLK + req, "validate", S, V(issues), input=ev(a), now=now)


clk("date-today", NOW, {"D01": "2026-11-26"}, [], "a date of today is not in the future")
clk("date-tomorrow", NOW, {"D01": "2026-11-27"}, [E("constraint:not_future", "/answers/D01", "D01")],
    "a date after today is in the future")
clk("element-date-tomorrow", NOW, {"K02": "2026-11-27"}, [E("constraint:not_future", "/answers/K02", "K02")],
    "not_future on the question that fills AdverseEvent.date")
clk("summer-night-next-uk-day", "2026-07-14T23:30:00Z", {"D01": "2026-07-15"}, [],
    "23:30 UTC on a summer night is 00:30 the next UK day (BST): that date is today")
clk("summer-evening-tomorrow", "2026-07-14T22:59:00Z", {"D01": "2026-07-15"},
    [E("constraint:not_future", "/answers/D01", "D01")], "22:59 UTC in summer is 23:59 BST: the next day is future")
clk("winter-night-tomorrow", "2026-11-26T23:30:00Z", {"D01": "2026-11-27"},
    [E("constraint:not_future", "/answers/D01", "D01")], "23:30 UTC in winter is 23:30 GMT: the next day is future")
clk("bst-start-eve", "2026-03-28T23:30:00Z", {"D01": "2026-03-29"},
    [E("constraint:not_future", "/answers/D01", "D01")],
    "BST starts 01:00 UTC on the last Sunday of March (2026-03-29): 23:30 UTC on the 28th is still GMT")
clk("bst-first-night", "2026-03-29T23:30:00Z", {"D01": "2026-03-30"}, [],
    "23:30 UTC on 2026-03-29 is BST: 00:30 on the 30th")
clk("bst-last-night", "2026-10-24T23:30:00Z", {"D01": "2026-10-25"}, [],
    "BST ends 01:00 UTC on the last Sunday of October (2026-10-25): 23:30 UTC on the 24th is 00:30 BST on the 25th")
clk("gmt-after-bst-end", "2026-10-25T23:30:00Z", {"D01": "2026-10-26"},
    [E("constraint:not_future", "/answers/D01", "D01")], "23:30 UTC on 2026-10-25 is GMT again")
clk("bst-before-end-hour", "2026-10-25T00:59:00Z", {"D01": "2026-10-25"}, [],
    "00:59 UTC on 2026-10-25 is 01:59 BST on the 25th")
clk("yearmonth-this-month", NOW, {"Y01": "2026-11"}, [], "a yearmonth of this month is not in the future")
clk("yearmonth-next-month", NOW, {"Y01": "2026-12"}, [E("constraint:not_future", "/answers/Y01", "Y01")],
    "a yearmonth after this month is in the future")
clk("yearmonth-summer-month-end", "2026-07-31T23:30:00Z", {"Y01": "2026-08"}, [],
    "23:30 UTC on 31 July is 00:30 BST on 1 August: August is this month")
clk("yearmonth-summer-month-end-early", "2026-07-31T22:30:00Z", {"Y01": "2026-08"},
    [E("constraint:not_future", "/answers/Y01", "Y01")], "22:30 UTC on 31 July is 23:30 BST: August is future")
clk("datetime-equal", NOW, {"DT1": "2026-11-26T12:00:00Z"}, [], "a datetime at the clock's instant is not future")
clk("datetime-one-second-after", NOW, {"DT1": "2026-11-26T12:00:01Z"},
    [E("constraint:not_future", "/answers/DT1", "DT1")], "a datetime after the clock's instant")
clk("datetime-fraction-after", NOW, {"DT1": "2026-11-26T12:00:00.001Z"},
    [E("constraint:not_future", "/answers/DT1", "DT1")], "a fraction of a second after the clock")
clk("datetime-offset-same-instant", NOW, {"DT1": "2026-11-26T13:00:00+01:00"}, [],
    "13:00+01:00 is the clock's instant")
clk("datetime-offset-after", NOW, {"DT1": "2026-11-26T13:00:01+01:00"},
    [E("constraint:not_future", "/answers/DT1", "DT1")], "13:00:01+01:00 is one second after the clock")
clk("datetime-negative-offset-after", NOW, {"DT1": "2026-11-26T07:30:00-05:00"},
    [E("constraint:not_future", "/answers/DT1", "DT1")], "07:30-05:00 is 12:30 UTC, after the clock")
clk("datetime-later-local-date-past", NOW, {"DT1": "2026-11-27T00:30:00+13:00"}, [],
    "2026-11-27T00:30+13:00 is 11:30 UTC on the 26th: an instant compares, not a local date")

# ---------------------------------------------------------------- rules
A = "rules"
RUL = "TAXONOMY.md 1 (rules) and 6: "
case(A, "group-rule-holds", RUL + "a group rule whose assert holds", "validate", S, OK,
     input=ev({"K01": "2"}, {"person": [inst(G01="2", G06="2026-11-20")]}))
case(A, "group-rule-in-two-instances", RUL + "a group rule failing in two instances, reported in each at the "
     "instance's path of the first question its assert names", "validate", S,
     V([R("R-PERSON-ADMIT", "/groups/person/0/answers/G06", "G06"),
        R("R-PERSON-ADMIT", "/groups/person/1/answers/G06", "G06")]),
     input=ev({"K01": "2"}, {"person": [inst(G01="2"), inst(G01="2", G02=31)]}))
case(A, "group-rule-one-instance", RUL + "a group rule is evaluated per instance: only the instance where it "
     "fails", "validate", S, V([R("R-PERSON-ADMIT", "/groups/person/1/answers/G06", "G06")]),
     input=ev({"K01": "2"}, {"person": [inst(G01="5"), inst(G01="2")]}))
case(A, "group-rule-top-level-assert-twice", RUL + "a group rule asserting a top-level question fails in two "
     "instances: reported twice at /answers/<code>, never merged", "validate", S,
     V([R("R-PERSON-FLAG", "/answers/B01", "B01"), R("R-PERSON-FLAG", "/answers/B01", "B01")]),
     input=ev({"K01": "2"}, {"person": [inst(G01="1", G03="y", G06="2026-11-20"),
                                        inst(G01="1", G03="n", G06="2026-11-21")]}))
case(A, "group-rule-and-required", RUL + "fatal harm: G03 required (shown by the instance's own G01), the "
     "admission rule and the flag rule; sorted by path", "validate", S,
     V([R("R-PERSON-FLAG", "/answers/B01", "B01"), E("required", "/groups/person/0/answers/G03", "G03"),
        R("R-PERSON-ADMIT", "/groups/person/0/answers/G06", "G06")]),
     input=ev({"K01": "2"}, {"person": [inst(G01="1")]}))
case(A, "group-rule-flag-satisfied", RUL + "the flag rule holds when the top-level answer is true", "validate", S,
     OK, input=ev({"K01": "2", "B01": True, "O01": "RJ1"}, {"person": [inst(G01="1", G03="y", G06="2026-11-20")]}))
case(A, "group-rule-hidden-group", RUL + "group rules run only in shown instances", "validate", S,
     V([E("not-applicable", "/groups/person"), E("not-applicable", "/groups/person/0/answers/G01", "G01")]),
     input=ev({"K01": "3"}, {"person": [inst(G01="1")]}))
case(A, "rule-no-assert-question", RUL + "a rule whose assert names no question is reported at \"\" with "
     "question null", "validate", S, V([R("R-FLAG-FALSE", "", None)]), input=ev({"K01": "1", "B01": False}))
case(A, "rule-empty-path-sorts-first", RUL + "the \"\" path sorts before every other path", "validate", S,
     V([R("R-FLAG-FALSE", "", None), E("invalid-code", "/answers/C01", "C01")]),
     input=ev({"K01": "1", "C01": "0", "B01": False}))
NB = "TAXONOMY.md 1/6 (not_before/not_after): "
case(A, "not-before-fails", NB + "a datetime before the start of the onset day (UTC) fails", "validate", S,
     V([R("R-REPORT-ORDER", "/answers/DT1", "DT1")]),
     input=ev({"K01": "1", "D01": "2026-11-20", "DT1": "2026-11-20T00:30:00+01:00"}))
case(A, "not-before-equal", NB + "the datetime at the date's start of day UTC is not before it", "validate", S,
     OK, input=ev({"K01": "1", "D01": "2026-11-20", "DT1": "2026-11-20T00:00:00Z"}))
case(A, "not-before-later", NB + "a later datetime holds", "validate", S, OK,
     input=ev({"K01": "1", "D01": "2026-11-20", "DT1": "2026-11-21T09:00:00Z"}))
case(A, "not-before-unanswered", NB + "holds when a side is unanswered", "validate", S, OK,
     input=ev({"K01": "1", "DT1": "2026-01-01T00:00:00Z"}))
case(A, "not-before-not-a-date", NB + "holds when a side is not a valid date (only invalid-type)", "validate", S,
     V([E("invalid-type", "/answers/D01", "D01")]),
     input=ev({"K01": "1", "D01": "2026-02-30", "DT1": "2025-01-01T00:00:00Z"}))
case(A, "not-before-wrong-json-type", NB + "holds when a side is a number, not a date", "validate", S,
     V([E("invalid-type", "/answers/D01", "D01")]),
     input=ev({"K01": "1", "D01": 20261120, "DT1": "2025-01-01T00:00:00Z"}))
case(A, "not-after-fails", NB + "a yearmonth compares as its first day: 2026-11 is after 2026-10-31",
     "validate", S, V([R("R-MONTH-ORDER", "/answers/Y01", "Y01")]),
     input=ev({"K01": "1", "Y01": "2026-11", "K02": "2026-10-31"}))
case(A, "not-after-first-day", NB + "2026-11 (its first day) is not after 2026-11-01", "validate", S, OK,
     input=ev({"K01": "1", "Y01": "2026-11", "K02": "2026-11-01"}))
case(A, "not-after-hidden-side", NB + "holds when a side is hidden (Y01 hidden by D01; the answer is still "
     "not-applicable)", "validate", S, V([E("not-applicable", "/answers/Y01", "Y01")]),
     input=ev({"K01": "1", "D01": "2026-11-01", "Y01": "2026-11", "K02": "2026-10-01"}))
case(A, "group-not-before-top-level", NB + "a group rule comparing a group date with a top-level date",
     "validate", S, V([R("R-ADMIT-ORDER", "/groups/person/1/answers/G06", "G06")]),
     input=ev({"K01": "2", "D01": "2026-11-19"},
              {"person": [inst(G01="5", G06="2026-11-19"), inst(G01="5", G06="2026-11-18")]}))
case(A, "group-not-before-unanswered-top", NB + "holds when the top-level side is unanswered", "validate", S, OK,
     input=ev({"K01": "2"}, {"person": [inst(G01="5", G06="2000-01-01")]}))

# ---------------------------------------------------------------- conditions (validate)
A = "conditions"
CND = "TAXONOMY.md 2/6 (conditions): "
case(A, "in-choice-shows", CND + "in on a choice: S01 shown and required", "validate", S,
     V([E("required", "/answers/S01", "S01")]), input=ev({"K01": "1", "C01": "2"}))
case(A, "in-choice-hides", CND + "in on a choice: S01 hidden for another code", "validate", S,
     V([E("not-applicable", "/answers/S01", "S01")]), input=ev({"K01": "1", "C01": "3", "S01": "x"}))
case(A, "in-multichoice-any-item", CND + "in on a multichoice holds when any selected code is listed",
     "validate", S, OK, input=ev({"K01": "1", "M01": ["a", "d"], "S02": "d detail"}))
case(A, "in-multichoice-no-item", CND + "in on a multichoice fails when no selected code is listed",
     "validate", S, V([E("not-applicable", "/answers/S02", "S02")]),
     input=ev({"K01": "1", "M01": ["a", "b"], "S02": "d detail"}))
case(A, "answered-true-invalid-value", CND + "answered holds for any non-empty string, even one that fails "
     "its pattern", "validate", S, V([E("constraint:pattern", "/answers/T03", "T03")]),
     input=ev({"K01": "1", "T03": "zz", "S03": "note"}))
case(A, "answered-null-is-not", CND + "a null answer is no answer: S03 hidden", "validate", S,
     V([E("not-applicable", "/answers/S03", "S03"), E("invalid-type", "/answers/T03", "T03")]),
     input=ev({"K01": "1", "T03": None, "S03": "note"}))
case(A, "answered-object-is-not", CND + "an object answer is no answer: S03 hidden", "validate", S,
     V([E("not-applicable", "/answers/S03", "S03"), E("invalid-type", "/answers/T03", "T03")]),
     input=ev({"K01": "1", "T03": {"v": "AB12"}, "S03": "note"}))
case(A, "answered-false-hides", CND + "answered false: S04 hidden once O01 is answered", "validate", S,
     V([E("not-applicable", "/answers/S04", "S04")]), input=ev({"K01": "1", "O01": "RJ1", "S04": "Ward 4"}))
case(A, "answered-false-empty-string", CND + "\"\" is no answer: S04 shown and required (B01 true)",
     "validate", S, V([E("required", "/answers/S04", "S04")]), input=ev({"K01": "1", "O01": "", "B01": True}))
case(A, "eq-true", CND + "eq true on a boolean: S05 shown, S11 hidden", "validate", S,
     V([E("not-applicable", "/answers/S11", "S11")]),
     input=ev({"K01": "1", "B01": True, "O01": "RJ1", "S05": "n", "S11": "n"}))
case(A, "eq-false-answer", CND + "eq true fails for false: S05 hidden, S11 shown", "validate", S,
     V([R("R-FLAG-FALSE", "", None), E("not-applicable", "/answers/S05", "S05")]),
     input=ev({"K01": "1", "B01": False, "S05": "n", "S11": "n"}))
case(A, "eq-one-equals-one-point-zero", CND + "eq 1 holds for 1.0 (JSON number equality)", "validate", S, OK,
     input_text='{"local_id":"L-1","taxonomy_version":"901","organisation":"RJ1",'
                '"answers":{"K01":"1","N01":1.0,"S06":"one"}}')
case(A, "eq-one-equals-one", CND + "eq 1 holds for 1", "validate", S, OK,
     input=ev({"K01": "1", "N01": 1, "S06": "one"}))
case(A, "eq-one-not-true", CND + "eq 1 does not hold for true (true is not 1)", "validate", S,
     V([E("invalid-type", "/answers/N01", "N01"), E("not-applicable", "/answers/S06", "S06")]),
     input=ev({"K01": "1", "N01": True, "S06": "one"}))
case(A, "eq-one-not-string", CND + "eq holds only for a boolean or number answer (\"1\" is not 1)",
     "validate", S, V([E("invalid-type", "/answers/N01", "N01"), E("not-applicable", "/answers/S06", "S06")]),
     input=ev({"K01": "1", "N01": "1", "S06": "one"}))
case(A, "eq-true-not-one", CND + "eq true does not hold for 1 (S05 hidden, S11 shown)", "validate", S,
     V([E("invalid-type", "/answers/B01", "B01"), E("not-applicable", "/answers/S05", "S05")]),
     input=ev({"K01": "1", "B01": 1, "S05": "n", "S11": "n"}))
case(A, "gte-equal", CND + "gte holds at the bound", "validate", S, OK, input=ev({"K01": "1", "I01": 18, "S07": "n"}))
case(A, "gte-below", CND + "gte fails below the bound", "validate", S,
     V([E("not-applicable", "/answers/S07", "S07")]), input=ev({"K01": "1", "I01": 17, "S07": "n"}))
case(A, "lte-equal", CND + "lte holds at the bound", "validate", S, OK, input=ev({"K01": "1", "I01": 2, "S08": "n"}))
case(A, "lte-above", CND + "lte fails above the bound", "validate", S,
     V([E("not-applicable", "/answers/S08", "S08")]), input=ev({"K01": "1", "I01": 3, "S08": "n"}))
case(A, "gte-unanswered", CND + "gte fails when unanswered", "validate", S,
     V([E("not-applicable", "/answers/S07", "S07")]), input=ev({"K01": "1", "S07": "n"}))
case(A, "all-empty-holds", CND + "all: [] holds (S09 shown)", "validate", S, OK, input=ev({"K01": "1", "S09": "n"}))
case(A, "any-empty-fails", CND + "any: [] does not hold (S10 never shown)", "validate", S,
     V([E("not-applicable", "/answers/S10", "S10")]), input=ev({"K01": "1", "S10": "n"}))
case(A, "nested-first-branch", CND + "nested all/any/not: C01 1 and I01 >= 5", "validate", S, OK,
     input=ev({"K01": "1", "C01": "1", "I01": 5, "S12": "n"}))
case(A, "nested-not-branch", CND + "nested: C01 1 and TM1 answered (not answered false)", "validate", S, OK,
     input=ev({"K01": "1", "C01": "1", "I01": 4, "TM1": "10:00", "S12": "n"}))
case(A, "nested-fails-inner", CND + "nested: C01 1 but I01 < 5 and TM1 unanswered", "validate", S,
     V([E("not-applicable", "/answers/S12", "S12")]), input=ev({"K01": "1", "C01": "1", "I01": 4, "S12": "n"}))
case(A, "nested-fails-outer", CND + "nested: C01 is not 1", "validate", S,
     V([E("not-applicable", "/answers/S12", "S12")]),
     input=ev({"K01": "1", "C01": "3", "I01": 50, "S07": "n", "S12": "n"}))
case(A, "hidden-counts-unanswered", CND + "a hidden question counts as not answered: S01 hidden (C01 1), so "
     "S13 (shown when S01 answered) is hidden too", "validate", S,
     V([E("not-applicable", "/answers/S01", "S01"), E("not-applicable", "/answers/S13", "S13")]),
     input=ev({"K01": "1", "C01": "1", "S01": "x", "S13": "y"}))
case(A, "chain-shown", CND + "S01 shown and answered shows S13", "validate", S, OK,
     input=ev({"K01": "1", "C01": "2", "S01": "x", "S13": "y"}))
case(A, "group-scope-own-instance", CND + "a group question's condition names the same group's question: "
     "that instance's answer", "validate", S,
     V([E("not-applicable", "/groups/person/1/answers/G03", "G03")]),
     input=ev({"K01": "2", "B01": True, "O01": "RJ1"},
              {"person": [inst(G01="1", G03="y", G06="2026-11-20"), inst(G01="5", G03="y")]}))
case(A, "group-scope-top-level", CND + "a group question's condition naming a top-level question resolves "
     "at the top level", "validate", S, OK,
     input=ev({"K01": "2", "C01": "1"}, {"person": [inst(G01="5", G04="n"), inst(G01="4", G04="n")]}))
case(A, "group-scope-top-level-hidden", CND + "the top-level condition fails: G04 hidden in every instance",
     "validate", S, V([E("not-applicable", "/groups/person/0/answers/G04", "G04")]),
     input=ev({"K01": "2", "C01": "2", "S01": "x"}, {"person": [inst(G01="5", G04="n")]}))
case(A, "group-shown-required", CND + "group shown condition on a top-level answer; G01 required in each "
     "instance", "validate", S,
     V([E("required", "/groups/person/0/answers/G01", "G01"), E("required", "/groups/person/1/answers/G01", "G01")]),
     input=ev({"K01": "2"}, {"person": [inst(G05="a"), inst(G02=3)]}))

# ---------------------------------------------------------------- shown (the form's view)
A = "shown"
SHW = "TAXONOMY.md 1-2 (shown/required): "
# Top-level questions shown for {K01: "1"} and nothing else, in taxonomy order, written out by hand.
BASE_TOP = "K01 K02 T01 T02 T03 C01 M01 M02 D01 Y01 DT1 TM1 O01 S04 I01 I02 N01 B01 H01 S09 S11 MD1 RP1"


def L(s):
    return s.split() if s else []


def SH(top, req, person=None, item=None):
    """person / item: None = hidden (no instances), or a list of (shown, required) strings."""
    g = {}
    g["person"] = {"shown": person is not None,
                   "instances": [{"shown": L(a), "required": L(b)} for a, b in (person or [])]}
    g["item"] = {"shown": True, "instances": [{"shown": L(a), "required": L(b)} for a, b in (item or [])]}
    return {"top": {"shown": L(top), "required": L(req)}, "groups": g}


def shown(slug, req, answers, exp, groups=None, version="901", tax=S):
    case(A, slug, SHW + req, "shown", tax, exp, input=ev(answers, groups, version=version))


shown("base", "the minimal event: unconditioned questions, S09 (all []) and S11 (not eq true on an "
      "unanswered boolean); hidden group person, always-shown group item", {"K01": "1"},
      SH(BASE_TOP, "K01"))
shown("empty-answers", "with no answers: K01 required though unanswered", {},
      SH(BASE_TOP, "K01"))
shown("in-choice", "C01 2 shows S01 (required)", {"K01": "1", "C01": "2"},
      SH("K01 K02 T01 T02 T03 C01 M01 M02 D01 Y01 DT1 TM1 O01 S04 I01 I02 N01 B01 H01 S01 S09 S11 MD1 RP1",
         "K01 S01"))
shown("in-multichoice", "M01 [a, d] shows S02", {"K01": "1", "M01": ["a", "d"]},
      SH("K01 K02 T01 T02 T03 C01 M01 M02 D01 Y01 DT1 TM1 O01 S04 I01 I02 N01 B01 H01 S02 S09 S11 MD1 RP1",
         "K01"))
shown("in-multichoice-empty", "M01 [] is no answer: S02 hidden", {"K01": "1", "M01": []},
      SH(BASE_TOP, "K01"))
shown("answered-true", "T03 answered shows S03", {"K01": "1", "T03": "AB12"},
      SH("K01 K02 T01 T02 T03 C01 M01 M02 D01 Y01 DT1 TM1 O01 S04 I01 I02 N01 B01 H01 S03 S09 S11 MD1 RP1",
         "K01"))
shown("answered-invalid-still-answered", "D01 holding an invalid date is answered: Y01 hidden",
      {"K01": "1", "D01": "not a date"},
      SH("K01 K02 T01 T02 T03 C01 M01 M02 D01 DT1 TM1 O01 S04 I01 I02 N01 B01 H01 S09 S11 MD1 RP1", "K01"))
shown("answered-null", "D01 null is no answer: Y01 shown", {"K01": "1", "D01": None}, SH(BASE_TOP, "K01"))
shown("answered-empty-string", "D01 \"\" is no answer: Y01 shown", {"K01": "1", "D01": ""}, SH(BASE_TOP, "K01"))
shown("answered-false", "O01 answered hides S04", {"K01": "1", "O01": "RJ1"},
      SH("K01 K02 T01 T02 T03 C01 M01 M02 D01 Y01 DT1 TM1 O01 I01 I02 N01 B01 H01 S09 S11 MD1 RP1", "K01"))
shown("eq-true", "B01 true: S05 shown, S11 hidden, S04 required (shown, its condition holds)",
      {"K01": "1", "B01": True},
      SH("K01 K02 T01 T02 T03 C01 M01 M02 D01 Y01 DT1 TM1 O01 S04 I01 I02 N01 B01 H01 S05 S09 MD1 RP1",
         "K01 S04"))
shown("eq-true-required-only-while-shown", "B01 true and O01 answered: S04 hidden, so not required",
      {"K01": "1", "B01": True, "O01": "RJ1"},
      SH("K01 K02 T01 T02 T03 C01 M01 M02 D01 Y01 DT1 TM1 O01 I01 I02 N01 B01 H01 S05 S09 MD1 RP1", "K01"))
shown("eq-false", "B01 false: S05 hidden, S11 shown", {"K01": "1", "B01": False}, SH(BASE_TOP, "K01"))
shown("eq-number-one-point-zero", "N01 1.0 equals 1: S06 shown", {"K01": "1", "N01": 1.0},
      SH("K01 K02 T01 T02 T03 C01 M01 M02 D01 Y01 DT1 TM1 O01 S04 I01 I02 N01 B01 H01 S06 S09 S11 MD1 RP1",
         "K01"))
shown("eq-number-true", "N01 true is not 1: S06 hidden", {"K01": "1", "N01": True}, SH(BASE_TOP, "K01"))
shown("eq-number-other", "N01 1.5 is not 1: S06 hidden", {"K01": "1", "N01": 1.5}, SH(BASE_TOP, "K01"))
shown("gte-lte", "I01 18: S07 shown (gte 18), S08 hidden (lte 2)", {"K01": "1", "I01": 18},
      SH("K01 K02 T01 T02 T03 C01 M01 M02 D01 Y01 DT1 TM1 O01 S04 I01 I02 N01 B01 H01 S07 S09 S11 MD1 RP1",
         "K01"))
shown("lte", "I01 0: S08 shown (lte 2)", {"K01": "1", "I01": 0},
      SH("K01 K02 T01 T02 T03 C01 M01 M02 D01 Y01 DT1 TM1 O01 S04 I01 I02 N01 B01 H01 S08 S09 S11 MD1 RP1",
         "K01"))
shown("nested", "C01 1 and TM1 answered: S12 shown", {"K01": "1", "C01": "1", "TM1": "08:00"},
      SH("K01 K02 T01 T02 T03 C01 M01 M02 D01 Y01 DT1 TM1 O01 S04 I01 I02 N01 B01 H01 S09 S11 S12 MD1 RP1",
         "K01"))
shown("hidden-chain", "S01 answered but hidden (C01 1) counts as unanswered: S13 hidden",
      {"K01": "1", "C01": "1", "S01": "x"},
      SH(BASE_TOP, "K01"))
shown("chain", "S01 shown and answered: S13 shown", {"K01": "1", "C01": "2", "S01": "x"},
      SH("K01 K02 T01 T02 T03 C01 M01 M02 D01 Y01 DT1 TM1 O01 S04 I01 I02 N01 B01 H01 S01 S09 S11 S13 MD1 RP1",
         "K01 S01"))
shown("group-instances", "group person shown by K01 2; G03 shown by the instance's own G01, G04 by the "
      "top-level C01; G01 and G03 required; group item listed with its instance",
      {"K01": "2", "C01": "1"},
      SH("K01 K02 T01 T02 T03 C01 M01 M02 D01 Y01 DT1 TM1 O01 S04 I01 I02 N01 B01 H01 S09 S11 MD1 RP1", "K01",
         person=[("G01 G02 G03 G04 G05 G06", "G01 G03"), ("G01 G02 G04 G05 G06", "G01")],
         item=[("G11 G12", "G11")]),
      groups={"person": [inst(G01="1"), inst(G01="5")], "item": [inst(G11="Pump")]})
shown("group-shown-no-instances", "a shown group without instances lists no instances",
      {"K01": "2"},
      SH(BASE_TOP, "K01", person=[]))
shown("newer-version", "version 902: S13 is gone, G04 is top-level, RK1 required for K01 3; no group item",
      {"K01": "3", "C01": "1"},
      {"top": {"shown": L("K01 K02 T01 T02 T03 C01 M01 M02 D01 Y01 DT1 TM1 O01 S04 I01 I02 N01 B01 H01 "
                          "S09 S11 MD1 RP1 RK1 G04"), "required": L("K01 RK1")},
       "groups": {"person": {"shown": False, "instances": []}}},
      version="902", tax=S2)

# ---------------------------------------------------------------- free-text scanning
A = "pii"
PII = "TAXONOMY.md 3.4/6 (free-text scanning): "


def pii(slug, req, text, kinds, q="T02"):
    """kinds: the pii kinds found, written by hand, already in code order."""
    issues = [W("pii:" + k, "/answers/" + q, q) for k in kinds]
    case(A, slug, PII + req, "validate", S, V(issues, True), input=ev({"K01": "1", q: text}))


pii("nhs-spaces", "NHS number 943 476 5919 with spaces 3-3-4", "NHS number 943 476 5919 was on the label.",
    ["nhs-number"])
pii("nhs-plain", "ten digits passing the check", "Label read 9434765919 today.", ["nhs-number"])
pii("nhs-dashes", "dashes 3-3-4", "Label read 943-476-5919 today.", ["nhs-number"])
pii("nhs-mixed-separators", "a space then a dash is not the same separator twice: nothing",
    "Label read 943 476-5919 today.", [])
pii("nhs-separator-once", "a separator used once only: nothing", "Label read 943 4765919 today.", [])
pii("nhs-wrong-check", "wrong check digit: nothing", "Label read 9434765918 today.", [])
pii("nhs-eleven-digits", "11 digits (no digit may follow): nothing", "Label read 94347659190 today.", [])
pii("nhs-overlapping", "tried at every position: 123 943 4765 fails the check, the overlapping "
    "943 476 5919 passes", "Codes 123 943 476 5919 on file.", ["nhs-number"])
pii("nhs-also-phone", "0123456789 passes the modulus 11 check and is a UK number", "Call 0123456789 now.",
    ["nhs-number", "phone"])
pii("nhs-twice-once", "each kind once per answer", "9434765919 and again 943 476 5919.", ["nhs-number"])
pii("postcode-spaced", "SW1A 1AA", "Lives near SW1A 1AA in London.", ["postcode"])
pii("postcode-unspaced", "SW1A1AA", "Lives near SW1A1AA in London.", ["postcode"])
pii("postcode-gir", "GIR 0AA", "Sent to GIR 0AA by post.", ["postcode"])
pii("postcode-short", "M1 1AE", "Address M1 1AE noted.", ["postcode"])
pii("postcode-end-of-text", "at the end of the text", "Postcode DN55 1PT", ["postcode"])
pii("postcode-letter-before", "a letter right before: nothing", "Ref XSW1A 1AA only.", [])
pii("postcode-letter-after", "a letter right after: nothing", "Ref SW1A 1AAB only.", [])
pii("postcode-lower-case", "lower case: nothing", "Ref sw1a 1aa only.", [])
pii("email", "an address", "Wrote to jo.bloggs@example.nhs.uk about it.", ["email"])
pii("email-no-dot", "no dot in the domain: nothing", "Wrote to jo@localhost about it.", [])
pii("email-one-letter-tld", "a one-letter top-level label: nothing", "Wrote to jo@example.c about it.", [])
pii("email-no-local-part", "nothing before the @: nothing", "See @example.org for it.", [])
pii("phone-plus44", "+44 and a 10-digit national number", "Phoned +44 20 7946 0958 at noon.", ["phone"])
pii("phone-0044", "0044 prefix", "Phoned 0044 20 7946 0958 at noon.", ["phone"])
pii("phone-plus44-bracket-0", "+44 (0) form", "Phoned +44 (0)20 7946 0958 at noon.", ["phone"])
pii("phone-leading-0", "leading 0 national form", "Phoned 020 7946 0958 at noon.", ["phone"])
pii("phone-dashes", "dashes between groups", "Phoned 020-7946-0958 at noon.", ["phone"])
pii("phone-brackets", "area code in brackets", "Phoned (0161) 496 0000 at noon.", ["phone"])
pii("phone-9-digit-national", "a 9-digit national number", "Phoned +44 1697 73456 at noon.", ["phone"])
pii("phone-8-digit-national", "an 8-digit national number: nothing", "Phoned 0161 496 00 at noon.", [])
pii("phone-11-digit-national", "an 11-digit national number: nothing", "Phoned 020 7946 09581 at noon.", [])
pii("phone-national-starts-0", "a national number starting with 0 after +44: nothing",
    "Phoned +440207946095 at noon.", [])
pii("dob-slashes", "DOB 01/02/1980", "Patient DOB 01/02/1980 confirmed.", ["date-of-birth"])
pii("dob-dotted-iso", "D.O.B: 1980-02-01", "D.O.B: 1980-02-01 on the wristband.", ["date-of-birth"])
pii("dob-born-on-ordinal", "born on 3rd March 1975", "She was born on 3rd March 1975 in Leeds.",
    ["date-of-birth"])
pii("dob-born-month-first", "born March 3, 1975", "He was born March 3, 1975.", ["date-of-birth"])
pii("dob-lower-case", "dob in lower case, two-digit year", "dob 1/2/80 per notes.", ["date-of-birth"])
pii("dob-is", "DOB is 12.05.1990", "DOB is 12.05.1990 per notes.", ["date-of-birth"])
pii("dob-abbreviated-month", "born 3 Sept. 1975", "Mother born 3 Sept. 1975.", ["date-of-birth"])
pii("dob-newborn", "newborn: the lookbehind refuses a letter before born", "The newborn on 01/02/2026 fed well.",
    [])
pii("dob-word-continues", "DOBSON: a letter right after DOB", "Dr DOBSON 01/02/1980 reviewed.", [])
pii("dob-no-date", "born without a date form", "Born in 1975 in Leeds.", [])
pii("several-kinds", "five kinds in one text, reported once each, sorted by code",
    "Seen at SW1A 1AA, tel 020 7946 0958, email jo@example.org, DOB 01/02/1980, NHS 943 476 5919.",
    ["date-of-birth", "email", "nhs-number", "phone", "postcode"])
pii("clean-text", "ordinary clinical text: nothing", "Patient slipped on a wet floor; 2 staff helped at 10:15.",
    [])
case(A, "not-scanned-question", PII + "only pii_scan questions are scanned (T01 is not)", "validate", S, OK,
     input=ev({"K01": "1", "T01": "9434765919"}))
case(A, "group-per-instance", PII + "each kind once per question instance, at the instance's path", "validate", S,
     V([W("pii:nhs-number", "/groups/person/0/answers/G05", "G05"),
        W("pii:email", "/groups/person/1/answers/G05", "G05"),
        W("pii:nhs-number", "/groups/person/1/answers/G05", "G05")], True),
     input=ev({"K01": "2"}, {"person": [inst(G01="5", G05="NHS 943 476 5919"),
                                        inst(G01="5", G05="jo@example.org, 9434765919")]}))
case(A, "with-errors", PII + "warnings sort with errors by path then code", "validate", S,
     V([E("constraint:max_length", "/answers/T01", "T01"), W("pii:postcode", "/answers/T02", "T02")]),
     input=ev({"K01": "1", "T01": "far too long a summary", "T02": "Went to M1 1AE."}))

# ---------------------------------------------------------------- the LFPSE taxonomies 5 and 6
A = "lfpse"
LF = "TAXONOMY.md 3 on the shipped taxonomy: "


def inc(version="5", answers=None, drop=(), patients=None, groups_extra=None, local_id="LRMS-2026-100001"):
    """A valid incident of taxonomies 5 and 6 (checked by hand against both), with changes."""
    a = {"CL001": "1", "T001": "y", "T002": "2026-11-24", "A001": ["10"],
         "F001": "Patient slipped on a wet floor in the bathroom; no injury found on examination.",
         "CL101": "4", "CL024": False, "SC001": ["6"], "L001": "y", "L002": "RJ1", "L003": ["1"]}
    for k in drop:
        del a[k]
    a.update(answers or {})
    g = {"patient": patients if patients is not None else [inst(OT001="5", OT002="4", P004=372)]}
    g.update(groups_extra or {})
    return {"local_id": local_id, "taxonomy_version": version, "organisation": "RJ1", "answers": a, "groups": g}


def lf(slug, req, version, event, issues, valid=None):
    case(A, slug, LF + req, "validate", version, V(issues, valid), input=event)


lf("v5-incident-valid", "a minimal valid incident of version 5", "5", inc(), [])
lf("v6-incident-valid", "the same incident under version 6", "6", inc("6"), [])
lf("v5-gender-4", "P009 option 4 is active in version 5", "5",
   inc(patients=[inst(OT001="5", OT002="4", P004=372, P009="4")]), [])
lf("v6-gender-4-retired", "P009 option 4 is retired in version 6", "6",
   inc("6", patients=[inst(OT001="5", OT002="4", P004=372, P009="4")]),
   [E("invalid-code", "/groups/patient/0/answers/P009", "P009")])
lf("v6-reporter-type-4-retired", "R001 option 4 is retired in version 6", "6", inc("6", {"R001": "4"}),
   [E("invalid-code", "/answers/R001", "R001")])
lf("v5-reporter-type-4-other", "R001 4 in version 5 shows R501 (required)", "5", inc("5", {"R001": "4"}),
   [E("required", "/answers/R501", "R501")])
lf("v6-location-other-required", "version 6 adds L504, required when L004 is 5", "6", inc("6", {"L004": "5"}),
   [E("required", "/answers/L504", "L504")])
lf("v5-location-other-unknown", "L504 does not exist in version 5", "5",
   inc("5", {"L004": "5", "L504": "Corridor"}), [E("unknown-question", "/answers/L504", "L504")])
lf("v6-medicine-group-min", "version 6: medication shows group medicine (min 1)", "6",
   inc("6", {"A001": ["4"]}), [E("invalid-cardinality", "/groups/medicine")])
lf("v5-medication-drugs-required", "version 5: medication shows A002 (required)", "5",
   inc("5", {"A001": ["4"]}), [E("required", "/answers/A002", "A002")])
lf("v6-medicine-rule-and-required", "version 6: a dm+d code without its name: DMD002 required and the group "
   "rule R-MEDICINE-DMD (error) at the instance's DMD002", "6",
   inc("6", {"A001": ["4"]}, groups_extra={"medicine": [inst(DMD001="77655004")]}),
   [E("required", "/groups/medicine/0/answers/DMD002", "DMD002"),
    {"severity": "error", "code": "rule:R-MEDICINE-DMD", "path": "/groups/medicine/0/answers/DMD002",
     "question": "DMD002", "message": "Identify each medicine by its dm+d VTM or VMP."}])
lf("v6-medicine-pattern", "version 6: a dm+d code failing its pattern", "6",
   inc("6", {"A001": ["4"]}, groups_extra={"medicine": [inst(DMD003="12ab", DMD004="Tablets")]}),
   [E("constraint:pattern", "/groups/medicine/0/answers/DMD003", "DMD003")])
lf("v5-medicine-group-unknown", "group medicine does not exist in version 5", "5",
   inc("5", {"A001": ["4"], "A002": "Paracetamol"}, groups_extra={"medicine": [{"answers": {}}]}),
   [E("unknown-group", "/groups/medicine")])
lf("v5-exact-date-before-month", "rule R-EXACT-DATE-IN-MONTH: T005 before the first day of T003", "5",
   inc("5", {"T001": "n", "T003": "2026-11", "T005": "2026-10-31"}, drop=("T002",)),
   [{"severity": "error", "code": "rule:R-EXACT-DATE-IN-MONTH", "path": "/answers/T005", "question": "T005",
     "message": "The exact date of the event falls before the month given as its approximate date."}])
lf("v5-exact-date-in-month", "rule R-EXACT-DATE-IN-MONTH holds on the month's first day", "5",
   inc("5", {"T001": "n", "T003": "2026-11", "T005": "2026-11-01"}, drop=("T002",)), [])
lf("v5-todays-date-hidden", "T001 n hides T002 and requires T003", "5",
   inc("5", {"T001": "n"}),
   [E("not-applicable", "/answers/T002", "T002"), E("required", "/answers/T003", "T003")])
lf("v5-duty-of-candour-two-patients", "a per-patient warning rule on a top-level question, once per patient "
   "at the same path", "5",
   inc(patients=[inst(OT001="3", OT002="4", P004=372), inst(OT001="3", OT002="4", P007="5")]),
   [{"severity": "warning", "code": "rule:R-DUTY-OF-CANDOUR", "path": "/answers/GV101", "question": "GV101",
     "message": "Moderate, severe or fatal physical harm, or moderate or severe psychological harm, usually "
                "brings the statutory Duty of Candour: confirm whether it applies."}] * 2, True)
lf("v5-device-type-warning", "rule R-DEVICE-TYPE without a group", "5", inc("5", {"A001": ["3"]}),
   [{"severity": "warning", "code": "rule:R-DEVICE-TYPE", "path": "/answers/A008", "question": "A008",
     "message": "Devices were involved: give the device type."}], True)
lf("v5-age-steps", "P004 steps: 372 x 50 = 18600 fits, 18601 does not", "5",
   inc(patients=[inst(OT001="5", OT002="4", P004=18600), inst(OT001="5", OT002="4", P004=18601)]),
   [E("constraint:steps", "/groups/patient/1/answers/P004", "P004")])
lf("v5-age-bracket-required", "P007 shown and required when P004 is unanswered", "5",
   inc(patients=[inst(OT001="5", OT002="4")]), [E("required", "/groups/patient/0/answers/P007", "P007")])
lf("v5-fatal-hides-psychological", "OT001 1 hides OT002 and shows ST001 (required); two warning rules", "5",
   inc(patients=[inst(OT001="1", OT002="4", P004=372)]),
   [{"severity": "warning", "code": "rule:R-DUTY-OF-CANDOUR", "path": "/answers/GV101", "question": "GV101",
     "message": "Moderate, severe or fatal physical harm, or moderate or severe psychological harm, usually "
                "brings the statutory Duty of Candour: confirm whether it applies."},
    {"severity": "warning", "code": "rule:R-DEATH-CQC", "path": "/answers/GV102", "question": "GV102",
     "message": "A patient died: check whether the event must be notified to the CQC."},
    E("not-applicable", "/groups/patient/0/answers/OT002", "OT002"),
    E("required", "/groups/patient/0/answers/ST001", "ST001")])
lf("v5-exclusive-none", "SC001 6 (none) is exclusive", "5", inc("5", {"SC001": ["1", "6"]}),
   [E("constraint:exclusive", "/answers/SC001", "SC001")])
lf("v5-pii-two-questions", "pii warnings in two scanned questions", "5",
   inc("5", {"F001": "Relative (jo.bloggs@example.org) raised it.", "AC001": "Rang her on 07700 900123."}),
   [W("pii:phone", "/answers/AC001", "AC001"), W("pii:email", "/answers/F001", "F001")], True)
lf("v5-risk-no-patient-group", "a risk event (CL001 3) hides group patient", "5",
   {"local_id": "LRMS-2026-100002", "taxonomy_version": "5", "organisation": "RXH",
    "answers": {"CL001": "3", "T001": "y", "T002": "2026-11-24", "RI001": "Night staffing below plan.",
                "RI003": "n", "CL101": "4", "CL024": False, "L101": "1"},
    "groups": {"patient": [inst(OT001="5")]}},
   [E("not-applicable", "/groups/patient"), E("not-applicable", "/groups/patient/0/answers/OT001", "OT001")])

# ---------------------------------------------------------------- migration
A = "migrate"
MIG = "TAXONOMY.md 4/6 (migration): "
EXAMPLES = os.path.join(HERE, "..", "..", "examples", "events")


def example(name):
    with open(os.path.join(EXAMPLES, name + ".json"), encoding="utf-8") as f:
        return json.load(f)


def mig(slug, req, tax, event, to, exp_event, issues, refused=False, event_text=None):
    exp = {"event": exp_event, "issues": issues}
    if event_text is not None:
        exp["event_text"] = event_text
    if refused:
        exp["refused"] = True
    case(A, slug, MIG + req, "migrate", tax, exp, input=event, to=to)


def D(path, q):
    return W("migrated:dropped", path, q)


e = example("v5-01-incident-medication")
e6 = copy.deepcopy(e)
e6["taxonomy_version"] = "6"
mig("v5-medication-lacks-medicine", "every answer kept; version 6's new group medicine (min 1) is reported",
    "5", e, "6", e6, [E("invalid-cardinality", "/groups/medicine")])
e = example("v5-02-incident-device-two-patients")
e6 = copy.deepcopy(e)
e6["taxonomy_version"] = "6"
del e6["groups"]["patient"][1]["answers"]["P009"]
mig("v5-retired-gender-dropped", "P009 4 is retired in 6: dropped with a warning at its old path", "5", e, "6",
    e6, [D("/groups/patient/1/answers/P009", "P009")])
e = inc("5", {"A001": ["4"], "A002": "Penicillin", "PB119": ["1"], "PB619": "Rash on both arms"})
e6 = inc("6", {"A001": ["4"], "A002": "Penicillin", "PB119": ["1"]})
mig("v5-removed-question-dropped", "PB619 is removed in 6: dropped; the medicine group is then missing", "5",
    e, "6", e6, [D("/answers/PB619", "PB619"), E("invalid-cardinality", "/groups/medicine")])
e = inc("5", {"R001": "4", "R501": "Volunteer"})
e6 = inc("6", {"R501": "Volunteer"})
mig("v5-retired-reporter-type", "R001 4 is retired: dropped; R501 is kept and now not-applicable", "5", e, "6",
    e6, [D("/answers/R001", "R001"), E("not-applicable", "/answers/R501", "R501")])
mig("v5-valid-unchanged", "an event with nothing to drop moves to 6 unchanged but for its version", "5",
    inc("5"), "6", inc("6"), [])
mig("downgrade-refused", "a downgrade is refused (the call fails; no event, no issues)", "6",
    example("v6-01-incident-medication-dmd"), "5", None, [], refused=True)
case(A, "malformed-not-migrated", MIG + "an event that cannot be read is not migrated: its issues come back",
     "migrate", "5", {"event": None, "issues": [E("malformed", "")]},
     input_text='{"local_id":"L-1","taxonomy_version":"5",', to="6")
mig("unknown-version-not-migrated", "an event whose version is not loaded is not migrated", "5",
    inc("4"), "6", None, [E("unknown-version", "/taxonomy_version")])
mig("small-retired-choice", "C01 3 is retired in 902: dropped", S, ev({"K01": "1", "C01": "3"}), "902",
    ev({"K01": "1"}, version="902"), [D("/answers/C01", "C01")])
mig("small-removed-option", "C01 4 is gone from 902: dropped", S, ev({"K01": "1", "C01": "4", "T01": "ok"}),
    "902", ev({"K01": "1", "T01": "ok"}, version="902"), [D("/answers/C01", "C01")])
mig("small-multichoice-item-dropped", "a multichoice loses its retired item, with a warning at the item's old "
    "path", S, ev({"K01": "1", "M01": ["a", "c", "d"], "S02": "d detail"}), "902",
    ev({"K01": "1", "M01": ["a", "d"], "S02": "d detail"}, version="902"), [D("/answers/M01/1", "M01")])
mig("small-multichoice-emptied", "a multichoice left with no item is dropped", S,
    ev({"K01": "1", "M01": ["c"]}), "902", ev({"K01": "1"}, version="902"), [D("/answers/M01/0", "M01")])
mig("small-removed-question", "S13 is removed in 902: dropped", S,
    ev({"K01": "1", "C01": "2", "S01": "x", "S13": "y"}), "902",
    ev({"K01": "1", "C01": "2", "S01": "x"}, version="902"), [D("/answers/S13", "S13")])
mig("small-moved-question", "G04 moves from group person to the top level in 902: dropped", S,
    ev({"K01": "2", "C01": "1"}, {"person": [inst(G01="5", G04="note")]}), "902",
    ev({"K01": "2", "C01": "1"}, {"person": [inst(G01="5")]}, version="902"),
    [D("/groups/person/0/answers/G04", "G04")])
mig("small-removed-group", "group item is removed in 902: every answer dropped with a warning each", S,
    ev({"K01": "2"}, {"person": [inst(G01="5")], "item": [inst(G11="Pump", G12=True), inst(G11="Pole")]}), "902",
    ev({"K01": "2"}, {"person": [inst(G01="5")]}, version="902"),
    [D("/groups/item/0/answers/G11", "G11"), D("/groups/item/0/answers/G12", "G12"),
     D("/groups/item/1/answers/G11", "G11")])
mig("small-new-required", "902 adds RK1, required for risks: reported after migration", S,
    ev({"K01": "3"}), "902", ev({"K01": "3"}, version="902"), [E("required", "/answers/RK1", "RK1")])
mig("small-invalid-kept", "answers invalid for other reasons are kept and reported by validation", S,
    ev({"K01": "1", "T01": "x", "C01": "3"}), "902", ev({"K01": "1", "T01": "x"}, version="902"),
    [D("/answers/C01", "C01"), E("constraint:min_length", "/answers/T01", "T01")])
mig("small-downgrade-refused", "902 to 901 is refused", S2, ev({"K01": "1"}, version="902"), "901", None, [],
    refused=True)
mig("small-unknown-code-kept", "a code that was not an option of the old version either was already invalid: "
    "kept, and the new version's validation reports it", S,
    ev({"K01": "1", "C01": "9", "M01": ["zz", "a", "c"]}), "902",
    ev({"K01": "1", "C01": "9", "M01": ["zz", "a"]}, version="902"),
    [E("invalid-code", "/answers/C01", "C01"), E("invalid-code", "/answers/M01/0", "M01"),
     D("/answers/M01/2", "M01")])
mig("small-written-canonical", "the migrated event is written canonical, as mapping back from FHIR writes it: "
    "members in order, answers in taxonomy order, empty answers and empty group arrays left out", S,
    {"answers": {"T01": "", "S09": "Kept", "M01": [], "K01": "1"}, "groups": {"person": []},
     "organisation": "RJ1", "taxonomy_version": "901", "local_id": "L-1"}, "902",
    ev({"K01": "1", "S09": "Kept"}, version="902"), [],
    event_text='{"local_id":"L-1","taxonomy_version":"902","organisation":"RJ1","answers":{"K01":"1",'
               '"S09":"Kept"}}')

# ---------------------------------------------------------------- FHIR mapping
P901 = BASE + "small-event-901"
MDS = "adverse-event-reference-metadata"


def X(sec, version="901", base=BASE):
    return base + sec + "-" + version


def sub(url, key, value):
    return {"url": url, key: value}


def ORG(org="RJ1"):
    return sub("SubmittingOrganisation", "valueString", org)


def AE(event_code, local_id="L-1", org="RJ1", actuality="actual", profile=P901, **members):
    """The AdverseEvent, members in the order of TAXONOMY.md 6 (written out per case)."""
    d = {"resourceType": "AdverseEvent", "meta": {"profile": [profile]},
         "identifier": {"system": "urn:lfpse:local-id:" + org, "value": local_id},
         "actuality": actuality, "event": {"coding": [{"code": event_code}]}}
    for k in ("subject", "date", "location", "recorder", "suspectEntity", "extension", "contained"):
        if k in members:
            d[k] = members.pop(k)
    assert not members
    return d


NO_PATIENT = {"display": "No patient involved"}
FHIR_PAIRS = []  # (slug, requirement, taxonomy, event, fhir, expected_text or None)

FHIR_PAIRS.append(("minimal", "TAXONOMY.md 5/6: the smallest event; no patient -> subject display; the "
                   "metadata section, not listed by the taxonomy, is the last AdverseEvent section", S,
                   ev({"K01": "1"}),
                   AE("1", subject=NO_PATIENT, extension=[{"url": X(MDS), "extension": [ORG()]}]),
                   '{"resourceType":"AdverseEvent","meta":{"profile":["https://small.example/fhir/'
                   'StructureDefinition/small-event-901"]},"identifier":{"system":"urn:lfpse:local-id:RJ1",'
                   '"value":"L-1"},"actuality":"actual","event":{"coding":[{"code":"1"}]},"subject":{"display":'
                   '"No patient involved"},"extension":[{"url":"https://small.example/fhir/StructureDefinition/'
                   'adverse-event-reference-metadata-901","extension":[{"url":"SubmittingOrganisation",'
                   '"valueString":"RJ1"}]}]}'))
FHIR_PAIRS.append(("risk-potential", "TAXONOMY.md 5/6: a risk (code listed as potential) -> actuality "
                   "potential; date element; multichoice in the order given", S,
                   ev({"K01": "3", "K02": "2026-11-20", "T01": "Risk", "M01": ["b", "a"]}),
                   AE("3", actuality="potential", subject=NO_PATIENT, date="2026-11-20", extension=[
                       {"url": X("core"), "extension": [sub("Summary", "valueString", "Risk"),
                                                        sub("Factors", "valueCode", "b"),
                                                        sub("Factors", "valueCode", "a")]},
                       {"url": X(MDS), "extension": [ORG()]}]),
                   '{"resourceType":"AdverseEvent","meta":{"profile":["https://small.example/fhir/'
                   'StructureDefinition/small-event-901"]},"identifier":{"system":"urn:lfpse:local-id:RJ1",'
                   '"value":"L-1"},"actuality":"potential","event":{"coding":[{"code":"3"}]},"subject":'
                   '{"display":"No patient involved"},"date":"2026-11-20","extension":[{"url":"https://small.'
                   'example/fhir/StructureDefinition/core-901","extension":[{"url":"Summary","valueString":'
                   '"Risk"},{"url":"Factors","valueCode":"b"},{"url":"Factors","valueCode":"a"}]},{"url":'
                   '"https://small.example/fhir/StructureDefinition/adverse-event-reference-metadata-901",'
                   '"extension":[{"url":"SubmittingOrganisation","valueString":"RJ1"}]}]}'))
FULL_EVENT = ev({"K01": "2", "K02": "2026-11-20", "T01": "Fall", "T02": "Patient slipped.", "T03": "AB12",
                 "C01": "1", "M01": ["a", "d"], "M02": ["1", "2"], "D01": "2026-11-19",
                 "DT1": "2026-11-20T10:15:00Z", "TM1": "10:15", "O01": "RJ122", "I01": 3, "I02": -7, "N01": 2.5,
                 "B01": True, "H01": "9434765919", "S02": "Detail d", "S03": "Ref note", "S05": "Flag note",
                 "S12": "Nested", "MD1": "Paracetamol", "RP1": "Ward nurse"},
                {"person": [inst(G01="2", G02=372, G04="Cat one", G05="Note", G06="2026-11-19"), inst(G01="5")],
                 "item": [inst(G11="Pump", G12=True)]})
FULL_FHIR = AE(
    "2", subject={"reference": "#patient1"}, date="2026-11-20", location={"reference": "#location1"},
    recorder={"reference": "#practitioner1"},
    suspectEntity=[{"instance": {"reference": "#medication1"}}, {"instance": {"reference": "#device1"}}],
    extension=[
        {"url": X("core"), "extension": [
            sub("Summary", "valueString", "Fall"), sub("Narrative", "valueString", "Patient slipped."),
            sub("Ref", "valueString", "AB12"), sub("Category", "valueCode", "1"),
            sub("Factors", "valueCode", "a"), sub("Factors", "valueCode", "d"),
            sub("Contributors", "valueCode", "1"), sub("Contributors", "valueCode", "2")]},
        {"url": X("timing"), "extension": [
            sub("OnsetDate", "valueDate", "2026-11-19"), sub("ReportedAt", "valueDateTime", "2026-11-20T10:15:00Z"),
            sub("ClockTime", "valueString", "10:15")]},
        {"url": X("measures"), "extension": [
            sub("Count", "valueInteger", 3), sub("Minutes", "valueInteger", -7), sub("Dose", "valueDecimal", 2.5),
            sub("Flag", "valueBoolean", True), sub("FactorDDetail", "valueString", "Detail d"),
            sub("RefNote", "valueString", "Ref note"), sub("FlagTrueNote", "valueString", "Flag note"),
            sub("NestedNote", "valueString", "Nested")]},
        {"url": X(MDS), "extension": [ORG()]}],
    contained=[
        {"resourceType": "Location", "id": "location1",
         "extension": [{"url": X("place"), "extension": [sub("Site", "valueString", "RJ122")]}]},
        {"resourceType": "Patient", "id": "patient1", "extension": [
            {"url": X("person"), "extension": [sub("PatientNhs", "valueString", "9434765919")]},
            {"url": X("person"), "extension": [
                sub("PersonSequence", "valueInteger", 1), sub("Harm", "valueCode", "2"),
                sub("AgeDays", "valueInteger", 372), sub("CategoryOneNote", "valueString", "Cat one"),
                sub("PersonNote", "valueString", "Note"), sub("AdmissionDate", "valueDate", "2026-11-19")]},
            {"url": X("person"), "extension": [
                sub("PersonSequence", "valueInteger", 2), sub("Harm", "valueCode", "5")]}]},
        {"resourceType": "Medication", "id": "medication1",
         "extension": [{"url": X("drug"), "extension": [sub("DrugName", "valueString", "Paracetamol")]}]},
        {"resourceType": "Device", "id": "device1", "extension": [{"url": X("kit"), "extension": [
            sub("ItemSequence", "valueInteger", 1), sub("ItemName", "valueString", "Pump"),
            sub("Faulty", "valueBoolean", True)]}]},
        {"resourceType": "Practitioner", "id": "practitioner1",
         "extension": [{"url": X("reporter"), "extension": [sub("ReporterName", "valueString", "Ward nurse")]}]}])
FHIR_PAIRS.append(("every-type-and-resource", "TAXONOMY.md 5/6: every value[x], every contained resource "
                   "(order of first section), references (subject, location, recorder, suspectEntity in "
                   "contained order), group sequence numbers, the top-level extension of a section before its "
                   "group instances", S, FULL_EVENT, FULL_FHIR, None))
FHIR_PAIRS.append(("patient-without-group", "TAXONOMY.md 5/6: a top-level answer in the Patient section writes "
                   "patient1 (and subject refers to it) with no group instance", S,
                   ev({"K01": "1", "H01": "9434765919"}),
                   AE("1", subject={"reference": "#patient1"}, extension=[{"url": X(MDS), "extension": [ORG()]}],
                      contained=[{"resourceType": "Patient", "id": "patient1", "extension": [
                          {"url": X("person"), "extension": [sub("PatientNhs", "valueString", "9434765919")]}]}]),
                   '{"resourceType":"AdverseEvent","meta":{"profile":["https://small.example/fhir/'
                   'StructureDefinition/small-event-901"]},"identifier":{"system":"urn:lfpse:local-id:RJ1",'
                   '"value":"L-1"},"actuality":"actual","event":{"coding":[{"code":"1"}]},"subject":{"reference":'
                   '"#patient1"},"extension":[{"url":"https://small.example/fhir/StructureDefinition/adverse-event-'
                   'reference-metadata-901","extension":[{"url":"SubmittingOrganisation","valueString":"RJ1"}]}],'
                   '"contained":[{"resourceType":"Patient","id":"patient1","extension":[{"url":"https://small.'
                   'example/fhir/StructureDefinition/person-901","extension":[{"url":"PatientNhs","valueString":'
                   '"9434765919"}]}]}]}'))
FHIR_PAIRS.append(("device-instances", "TAXONOMY.md 5/6: two instances of a group on a contained Device, "
                   "numbered 1 and 2; suspectEntity refers to device1; an answer of false is written", S,
                   ev({"K01": "1"}, {"item": [inst(G11="Pump"), inst(G11="Pole", G12=False)]}),
                   AE("1", subject=NO_PATIENT, suspectEntity=[{"instance": {"reference": "#device1"}}],
                      extension=[{"url": X(MDS), "extension": [ORG()]}],
                      contained=[{"resourceType": "Device", "id": "device1", "extension": [
                          {"url": X("kit"), "extension": [sub("ItemSequence", "valueInteger", 1),
                                                          sub("ItemName", "valueString", "Pump")]},
                          {"url": X("kit"), "extension": [sub("ItemSequence", "valueInteger", 2),
                                                          sub("ItemName", "valueString", "Pole"),
                                                          sub("Faulty", "valueBoolean", False)]}]}]),
                   None))
FHIR_PAIRS.append(("medication-and-practitioner", "TAXONOMY.md 6: recorder and suspectEntity only for the "
                   "resources written", S, ev({"K01": "1", "MD1": "Aspirin", "RP1": "Nurse"}),
                   AE("1", subject=NO_PATIENT, recorder={"reference": "#practitioner1"},
                      suspectEntity=[{"instance": {"reference": "#medication1"}}],
                      extension=[{"url": X(MDS), "extension": [ORG()]}],
                      contained=[{"resourceType": "Medication", "id": "medication1", "extension": [
                          {"url": X("drug"), "extension": [sub("DrugName", "valueString", "Aspirin")]}]},
                          {"resourceType": "Practitioner", "id": "practitioner1", "extension": [
                              {"url": X("reporter"), "extension": [sub("ReporterName", "valueString", "Nurse")]}]}]),
                   None))

# The shipped taxonomies.
PB5 = "https://psims.example/taxonomy/fhir/StructureDefinition/"
PB6 = "https://developer.lfpse.example/taxonomy/fhir/StructureDefinition/"
INC_F001 = "Patient slipped on a wet floor in the bathroom; no injury found on examination."


def inc_fhir(v):
    base = PB5 if v == "5" else PB6
    core = [] if v == "5" else [{"url": X("adverse-event-core", v, base),
                                 "extension": [sub("Description", "valueString", INC_F001)]}]
    outcome = [{"url": X("adverse-event-outcome", v, base),
                "extension": [sub("Description", "valueString", INC_F001)]}] if v == "5" else []
    return AE("1", local_id="LRMS-2026-100001", profile=base + "patient-safety-adverse-event-" + v,
              subject={"reference": "#patient1"}, location={"reference": "#location1"},
              extension=core + [
                  {"url": X("adverse-event-estimated-date", v, base), "extension": [
                      sub("IncidentOccurredToday", "valueCode", "y"), sub("TodaysDate", "valueDate", "2026-11-24")]},
                  {"url": X("adverse-event-agent", v, base), "extension": [sub("InvolvedAgents", "valueCode", "10")]}]
              + outcome + [
                  {"url": X("adverse-event-classification", v, base),
                   "extension": [sub("LevelOfConcern", "valueCode", "4")]},
                  {"url": X(MDS, v, base), "extension": [ORG(), sub("DataSharingOptOut", "valueBoolean", False)]},
                  {"url": X("adverse-event-safety-challenges", v, base),
                   "extension": [sub("SafetyChallenges", "valueCode", "6")]}],
              contained=[
                  {"resourceType": "Patient", "id": "patient1", "extension": [
                      {"url": X("patient-information", v, base), "extension": [
                          sub("PatientSequence", "valueInteger", 1), sub("PhysicalHarm", "valueCode", "5"),
                          sub("PsychologicalHarm", "valueCode", "4"),
                          sub("AgeAtTimeOfIncidentDays", "valueInteger", 372)]}]},
                  {"resourceType": "Location", "id": "location1", "extension": [
                      {"url": X("location-details", v, base), "extension": [
                          sub("LocationKnown", "valueCode", "y"), sub("Organisation", "valueString", "RJ1"),
                          sub("ServiceArea", "valueCode", "1")]}]}])


FHIR_PAIRS.append(("v5-incident", "TAXONOMY.md 5/6 on version 5: SubmittingOrganisation first in the listed "
                   "metadata section (9th of the taxonomy's sections), Patient before Location", "5", inc("5"),
                   inc_fhir("5"), None))
FHIR_PAIRS.append(("v6-incident", "TAXONOMY.md 5/6 on version 6: new profile and extension base, Description "
                   "in adverse-event-core (first section)", "6", inc("6"), inc_fhir("6"), None))
r = example("v5-05-risk")
ra = r["answers"]
FHIR_PAIRS.append(("v5-risk", "TAXONOMY.md 5/6 on version 5: a risk event is potential; no patient; Location "
                   "and Practitioner contained and referred to", "5", r,
                   AE("3", local_id="LRMS-2026-004300", org="RXH", actuality="potential",
                      profile=PB5 + "patient-safety-adverse-event-5", subject=NO_PATIENT,
                      location={"reference": "#location1"}, recorder={"reference": "#practitioner1"},
                      extension=[
                          {"url": X("adverse-event-estimated-date", "5", PB5), "extension": [
                              sub("IncidentOccurredToday", "valueCode", "y"),
                              sub("TodaysDate", "valueDate", "2026-11-24")]},
                          {"url": X("adverse-event-risk-details", "5", PB5), "extension": [
                              sub("RiskDescription", "valueString", ra["RI001"]), sub("RiskTheme", "valueCode", "1"),
                              sub("RiskImminent", "valueCode", "n"), sub("RiskServiceArea", "valueCode", "4"),
                              sub("RiskPopulation", "valueString", ra["RI005"]),
                              sub("RiskTimeframe", "valueCode", "1")]},
                          {"url": X("detection-factors", "5", PB5), "extension": [sub("DetectionPoint", "valueCode", "1")]},
                          {"url": X("adverse-event-classification", "5", PB5),
                           "extension": [sub("LevelOfConcern", "valueCode", "4")]},
                          {"url": X(MDS, "5", PB5), "extension": [ORG("RXH"),
                                                                  sub("DataSharingOptOut", "valueBoolean", False)]}],
                      contained=[
                          {"resourceType": "Location", "id": "location1", "extension": [
                              {"url": X("location-details", "5", PB5), "extension": [
                                  sub("LocationAtRisk", "valueCode", "1"),
                                  sub("RiskIdentifiedLocation", "valueCode", "1")]}]},
                          {"resourceType": "Practitioner", "id": "practitioner1", "extension": [
                              {"url": X("practitioner-details", "5", PB5), "extension": [
                                  sub("ReporterType", "valueCode", "3"), sub("ReporterRole", "valueCode", "5"),
                                  sub("ReporterInvolvement", "valueCode", "3"),
                                  sub("ReporterContact", "valueString", ra["R005"]),
                                  sub("ReporterOrganisation", "valueString", "RXH")]}]}]),
                   None))

A = "to-fhir"
for slug, req, tax, event, fhir, text in FHIR_PAIRS:
    exp = {"fhir": fhir}
    if text is not None:
        exp["expected_text"] = text
    case(A, slug, req, "to-fhir", tax, exp, input=event)
ESC_TEXT = "Line1\nLine2\t\"q\" \\ \u00e9 \r / \u007f \u0085 \U0001F600"
case(A, "string-escapes", "TAXONOMY.md 6 (writing): raw UTF-8; only \", \\ and the controls escaped "
     "(\\n \\r \\t: a valid event holds no other character below U+0020); /, U+007F and U+0085 raw",
     "to-fhir", S,
     {"fhir": AE("1", subject=NO_PATIENT, extension=[
         {"url": X("core"), "extension": [sub("Narrative", "valueString", ESC_TEXT)]},
         {"url": X(MDS), "extension": [ORG()]}]),
      "expected_text": '{"resourceType":"AdverseEvent","meta":{"profile":["https://small.example/fhir/'
                       'StructureDefinition/small-event-901"]},"identifier":{"system":"urn:lfpse:local-id:RJ1",'
                       '"value":"L-1"},"actuality":"actual","event":{"coding":[{"code":"1"}]},"subject":{"display":'
                       '"No patient involved"},"extension":[{"url":"https://small.example/fhir/StructureDefinition/'
                       'core-901","extension":[{"url":"Narrative","valueString":"Line1\\nLine2\\t\\"q\\" \\\\ '
                       '\u00e9 \\r / \u007f \u0085 \U0001F600"}]},{"url":"https://small.example/fhir/'
                       'StructureDefinition/adverse-event-reference-metadata-901","extension":[{"url":'
                       '"SubmittingOrganisation","valueString":"RJ1"}]}]}'},
     input=ev({"K01": "1", "T02": ESC_TEXT}))
case(A, "number-spelling", "TAXONOMY.md 6 (writing): numbers exactly as spelled in the input (1.50 stays "
     "1.50)", "to-fhir", S,
     {"fhir": AE("1", subject=NO_PATIENT, extension=[
         {"url": X("measures"), "extension": [sub("Count", "valueInteger", 7), sub("Dose", "valueDecimal", 1.5)]},
         {"url": X(MDS), "extension": [ORG()]}]),
      "expected_text": '{"resourceType":"AdverseEvent","meta":{"profile":["https://small.example/fhir/'
                       'StructureDefinition/small-event-901"]},"identifier":{"system":"urn:lfpse:local-id:RJ1",'
                       '"value":"L-1"},"actuality":"actual","event":{"coding":[{"code":"1"}]},"subject":{"display":'
                       '"No patient involved"},"extension":[{"url":"https://small.example/fhir/StructureDefinition/'
                       'measures-901","extension":[{"url":"Count","valueInteger":7},{"url":"Dose","valueDecimal":'
                       '1.50}]},{"url":"https://small.example/fhir/StructureDefinition/adverse-event-reference-'
                       'metadata-901","extension":[{"url":"SubmittingOrganisation","valueString":"RJ1"}]}]}'},
     input_text='{"local_id":"L-1","taxonomy_version":"901","organisation":"RJ1",'
                '"answers":{"K01":"1","N01":1.50,"I01":7}}')
EMPTY_EVENT = ev({"K01": "1", "T01": "", "M01": [], "S09": "Kept"}, {"item": []})
EMPTY_FHIR = AE("1", subject=NO_PATIENT, extension=[
    {"url": X("measures"), "extension": [sub("AlwaysNote", "valueString", "Kept")]},
    {"url": X(MDS), "extension": [ORG()]}])
case(A, "empty-answers-left-out", "TAXONOMY.md 6: empty answers (\"\", []) are left out, and so is an empty "
     "section or group", "to-fhir", S, {"fhir": EMPTY_FHIR}, input=EMPTY_EVENT)

# ---------------------------------------------------------------- FHIR back to the event
A = "from-fhir"
NO_NATIONAL = {"id": None, "version": None, "last_updated": None, "reference": None, "recording_route": None,
               "review_status": None, "review_comment": None}
for slug, req, tax, event, fhir, text in FHIR_PAIRS:
    case(A, slug, "TAXONOMY.md 5 (mapping back gives the same event document): " + req, "from-fhir", tax,
         {"event": event, "national": NO_NATIONAL}, input=fhir)
case(A, "empty-answers-gone", "TAXONOMY.md 6: the event comes back canonical: no empty answers, no groups member "
     "without instances", "from-fhir", S,
     {"event": ev({"K01": "1", "S09": "Kept"}), "national": NO_NATIONAL}, input=EMPTY_FHIR)
nat = AE("1", subject=NO_PATIENT, extension=[{"url": X(MDS), "extension": [
    ORG(), sub("ReferenceNumber", "valueString", "LFPSE-2026-000042"), sub("RecordingRoute", "valueCode", "API"),
    sub("ReviewStatus", "valueCode", "under-review"), sub("ReviewComment", "valueString", "Looked at by the team.")]}])
nat = dict([("resourceType", nat.pop("resourceType")), ("id", "7f3c2a10-0000-4000-8000-000000000042")] +
           list(nat.items()))
nat["meta"] = {"versionId": "3", "lastUpdated": "2026-11-26T10:00:00.000Z", "profile": [P901]}
case(A, "national-additions", "TAXONOMY.md 5 / API.md: id, meta.versionId, meta.lastUpdated, ReferenceNumber, "
     "RecordingRoute, ReviewStatus and ReviewComment are sync state, not answers", "from-fhir", S,
     {"event": ev({"K01": "1"}),
      "national": {"id": "7f3c2a10-0000-4000-8000-000000000042", "version": "3",
                   "last_updated": "2026-11-26T10:00:00.000Z", "reference": "LFPSE-2026-000042",
                   "recording_route": "API", "review_status": "under-review",
                   "review_comment": "Looked at by the team."}}, input=nat)
oir = AE("1", subject=NO_PATIENT, extension=[{"url": X(MDS), "extension": [
    ORG(), sub("ReferenceNumber", "valueString", "LFPSE-2026-000043"), sub("RecordingRoute", "valueCode", "OIR")]}])
oir["identifier"] = {"system": "urn:lfpse:national:RJ1", "value": "4711"}
case(A, "national-identifier", "API.md: an event recorded outside the LRMS carries urn:lfpse:national:<org>; "
     "its local id is national:<value>", "from-fhir", S,
     {"event": ev({"K01": "1"}, local_id="national:4711"),
      "national": dict(NO_NATIONAL, reference="LFPSE-2026-000043", recording_route="OIR")}, input=oir)
foreign = AE("1", subject=NO_PATIENT, extension=[
    {"url": "https://other.example/fhir/StructureDefinition/vendor-flag", "valueString": "y"},
    {"url": X("core"), "extension": [sub("Summary", "valueString", "Fall")]},
    {"url": X(MDS), "extension": [ORG()]}])
case(A, "foreign-extension-ignored", "TAXONOMY.md 6: extensions whose url is not under extension_base are "
     "ignored", "from-fhir", S, {"event": ev({"K01": "1", "T01": "Fall"}), "national": NO_NATIONAL}, input=foreign)
swapped = copy.deepcopy([p for p in FHIR_PAIRS if p[0] == "device-instances"][0][4])
exts = swapped["contained"][0]["extension"]
exts.reverse()
case(A, "instances-by-sequence", "TAXONOMY.md 6: group instances come back in the order of their sequence "
     "numbers", "from-fhir", S,
     {"event": ev({"K01": "1"}, {"item": [inst(G11="Pump"), inst(G11="Pole", G12=False)]}),
      "national": NO_NATIONAL}, input=swapped)

ctl = AE("1", subject=NO_PATIENT, extension=[
    {"url": X("core"), "extension": [sub("Narrative", "valueString", "Seen\u0001 at noon")]},
    {"url": X(MDS), "extension": [ORG()]}])
case(A, "control-character-kept", "TAXONOMY.md 6: a valueString holding a character below U+0020 (not FHIR R4) "
     "maps back as it is, so that validating the event reports it as invalid-type (decisions.md)", "from-fhir", S,
     {"event": ev({"K01": "1", "T02": "Seen\u0001 at noon"}), "national": NO_NATIONAL}, input=ctl)

# ---------------------------------------------------------------- loading a taxonomy
A = "taxonomy-load"
TINY = {
    "taxonomy": "tiny", "version": "990", "published": "2026-01-01",
    "fhir": {"profile": BASE + "tiny-990", "extension_base": BASE},
    "sections": [{"id": "core", "target": "AdverseEvent"}, {"id": "who", "target": "Patient"},
                 {"id": "what", "target": "Device"}],
    "groups": [{"id": "g1", "text": "People", "min": 0, "max": 5, "section": "who", "sequence_property": "Seq1"},
               {"id": "g2", "text": "Things", "min": 0, "max": 5, "section": "what", "sequence_property": "Seq2"}],
    "questions": [
        {"code": "A001", "text": "Type", "type": "choice", "options": [{"code": "1", "text": "One"}],
         "required": True, "fhir": {"element": "event"}},
        {"code": "B001", "text": "Note", "type": "text", "required": False, "fhir": {"section": "core", "property": "Note"}},
        {"code": "B002", "text": "Other note", "type": "text", "required": False,
         "fhir": {"section": "core", "property": "OtherNote"}},
        {"code": "C001", "group": "g1", "text": "Name", "type": "text", "required": False,
         "fhir": {"section": "who", "property": "Name"}},
        {"code": "D001", "group": "g2", "text": "Item", "type": "text", "required": False,
         "fhir": {"section": "what", "property": "Item"}},
    ],
    "rules": [],
}


def tiny(change):
    t = copy.deepcopy(TINY)
    change(t)
    return t


def qd(t, code):
    return [q for q in t["questions"] if q["code"] == code][0]


def load(slug, req, doc, ok, mentions=None):
    exp = {"ok": ok}
    if mentions:
        exp["error_contains_any"] = mentions
    case(A, slug, "TAXONOMY.md 6 (loading a taxonomy): " + req, "taxonomy-load", None, exp, input=doc)


load("tiny-ok", "a small valid document loads", TINY, True)
load("small-1-ok", "the conformance taxonomy 901 loads", SMALL_1, True)
load("small-2-ok", "the conformance taxonomy 902 loads", SMALL_2, True)
load("group-condition-top-level-ok", "a group question's condition may name a top-level question",
     tiny(lambda t: qd(t, "C001").update(shown={"q": "B001", "answered": True})), True)
load("group-rule-top-level-ok", "a group rule may name a top-level question",
     tiny(lambda t: t["rules"].append({"id": "R-OK", "group": "g1", "severity": "warning",
                                       "assert": {"q": "B001", "answered": True}, "message": "m"})), True)
load("cycle-self", "a shown condition naming its own question is a cycle",
     tiny(lambda t: qd(t, "B001").update(shown={"q": "B001", "answered": True})), False, ["B001"])
load("cycle-two", "shown conditions forming a cycle of two",
     tiny(lambda t: (qd(t, "B001").update(shown={"q": "B002", "answered": True}),
                     qd(t, "B002").update(shown={"not": {"q": "B001", "answered": False}}))), False,
     ["B001", "B002"])
load("unknown-constraint", "an unknown constraint name",
     tiny(lambda t: qd(t, "B001").update(constraints=[{"max_words": 5}])), False, ["max_words"])
load("repeated-question-code", "a question code used twice",
     tiny(lambda t: t["questions"].append(dict(qd(t, "B002"), code="B001"))), False, ["B001"])
load("condition-unknown-code", "a shown condition naming an undefined question",
     tiny(lambda t: qd(t, "B001").update(shown={"q": "ZZ999", "answered": True})), False, ["ZZ999"])
load("nested-condition-unknown-code", "an undefined question deep inside all/any/not",
     tiny(lambda t: qd(t, "B001").update(
         shown={"all": [{"any": [{"not": {"q": "ZZ998", "eq": True}}]}]})), False, ["ZZ998"])
load("required-condition-unknown-code", "a required condition naming an undefined question",
     tiny(lambda t: qd(t, "B001").update(required={"q": "ZZ997", "in": ["1"]})), False, ["ZZ997"])
load("group-shown-unknown-code", "a group's shown condition naming an undefined question",
     tiny(lambda t: t["groups"][0].update(shown={"q": "ZZ996", "in": ["1"]})), False, ["ZZ996"])
load("rule-unknown-code", "a rule naming an undefined question",
     tiny(lambda t: t["rules"].append({"id": "R-BAD", "severity": "error", "assert": {"q": "ZZ995", "answered": True},
                                       "message": "m"})), False, ["ZZ995", "R-BAD"])
load("rule-not-before-unknown-code", "a not_before naming an undefined question",
     tiny(lambda t: t["rules"].append({"id": "R-BAD-DATE", "severity": "error",
                                       "assert": {"q": "B001", "not_before": "ZZ994"}, "message": "m"})),
     False, ["ZZ994", "R-BAD-DATE"])
load("condition-other-group", "a group question's condition naming a question of another group",
     tiny(lambda t: qd(t, "C001").update(shown={"q": "D001", "answered": True})), False, ["C001", "D001"])
load("rule-other-group", "a group rule naming a question of another group",
     tiny(lambda t: t["rules"].append({"id": "R-CROSS", "group": "g1", "severity": "warning",
                                       "assert": {"q": "D001", "answered": True}, "message": "m"})),
     False, ["D001", "R-CROSS"])

# ---------------------------------------------------------------- the project's worked examples
A = "examples"
for name in sorted(os.listdir(EXAMPLES)):
    if not name.endswith(".expected.json"):
        continue
    stem = name[:-len(".expected.json")]
    with open(os.path.join(EXAMPLES, name), encoding="utf-8") as f:
        exp = json.load(f)
    case(A, stem, "examples/events/%s: the project's worked example (expected issues as published there)" % stem,
         "validate", exp["taxonomy_version"], {"valid": exp["valid"], "issues": exp["issues"]},
         input=example(stem), now=exp["now"])


# ---------------------------------------------------------------- writing and self-checks
def _sorted_ok(issues):
    keys = [(i["path"].encode("utf-8"), i["code"].encode("utf-8")) for i in issues]
    return keys == sorted(keys)


# TAXONOMY.md 6, stated again to check the hand-written cases: a text answer holding a character
# below U+0020 other than tab, LF or CR is invalid-type, and is then neither constraint-checked
# nor scanned (so its only other issue can be not-applicable); any other string is of the type.
FORBIDDEN = {chr(c) for c in range(0x20)} - {"\t", "\n", "\r"}
DATA = os.path.join(HERE, "..", "..", "src", "taxonomy", "data")


def _text_questions():
    docs = [SMALL_1, SMALL_2]
    for v in ("5", "6"):
        with open(os.path.join(DATA, "lfpse-%s.json" % v), encoding="utf-8") as f:
            docs.append(json.load(f))
    return {d["version"]: {q["code"] for q in d["questions"] if q["type"] == "text"} for d in docs}


def _text_answers(event, texts):
    """(path, value) of every string answer to a text question of the event's version."""
    if not isinstance(event, dict) or event.get("taxonomy_version") not in texts:
        return
    codes = texts[event["taxonomy_version"]]
    scopes = [("", event.get("answers"))]
    groups = event.get("groups")
    if isinstance(groups, dict):
        for gid, instances in groups.items():
            for i, it in enumerate(instances if isinstance(instances, list) else []):
                if isinstance(it, dict):
                    scopes.append(("/groups/%s/%d" % (gid, i), it.get("answers")))
    for prefix, answers in scopes:
        for code, value in (answers.items() if isinstance(answers, dict) else []):
            if code in codes and isinstance(value, str) and value:
                yield prefix + "/answers/" + code, value


def _check_fhir_strings(c, texts):
    event = c.get("input")
    if event is None and "input_text" in c:
        try:
            event = json.loads(c["input_text"])
        except ValueError:
            return  # not JSON: a malformed case
    for path, value in _text_answers(event, texts):
        bad = any(ch in FORBIDDEN for ch in value)
        if c["kind"] == "to-fhir":
            assert not bad, "a to-fhir input must be valid: " + c["id"]
        if c["kind"] != "validate":
            continue
        at = {i["code"] for i in c["expected"]["issues"] if i["path"] == path}
        if bad:
            assert "invalid-type" in at and at <= {"invalid-type", "not-applicable"}, c["id"] + " " + path
        else:
            assert "invalid-type" not in at, c["id"] + " " + path


def main():
    texts = _text_questions()
    ids = set()
    for area, fname, c in CASES:
        assert c["id"] not in ids, "duplicate id " + c["id"]
        ids.add(c["id"])
        exp = c["expected"]
        _check_fhir_strings(c, texts)
        if "issues" in exp:
            assert _sorted_ok(exp["issues"]), "issues not sorted in " + c["id"]
        if "expected_text" in exp:
            assert json.loads(exp["expected_text"]) == exp["fhir"], "expected_text differs from fhir in " + c["id"]
        if c["kind"] == "to-fhir":
            assert list(exp["fhir"].keys()) == [k for k in (
                "resourceType", "meta", "identifier", "actuality", "event", "subject", "date", "location",
                "recorder", "suspectEntity", "extension", "contained") if k in exp["fhir"]], c["id"]
    for area in sorted({a for a, _, _ in CASES}):
        d = os.path.join(HERE, area)
        if os.path.isdir(d):
            shutil.rmtree(d)
    tdir = os.path.join(HERE, "taxonomies")
    os.makedirs(tdir, exist_ok=True)
    for name, doc in (("small.json", SMALL_1), ("small-2.json", SMALL_2)):
        with open(os.path.join(tdir, name), "w", encoding="utf-8") as f:
            json.dump(doc, f, ensure_ascii=False, indent=2)
            f.write("\n")
    for area, fname, c in CASES:
        d = os.path.join(HERE, area)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, fname), "w", encoding="utf-8") as f:
            json.dump(c, f, ensure_ascii=False, indent=2)
            f.write("\n")
    counts = {}
    for area, _, c in CASES:
        counts[(area, c["kind"])] = counts.get((area, c["kind"]), 0) + 1
    for (area, kind), n in sorted(counts.items()):
        print("%-14s %-14s %4d" % (area, kind, n))
    print("total", len(CASES))


if __name__ == "__main__":
    main()
