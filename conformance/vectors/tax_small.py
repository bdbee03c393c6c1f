# The small conformance taxonomies (versions 901 and 902), written out by make_vectors.py.
# Hand-written: every type, constraint and condition form of TAXONOMY.md 1-2.
import copy

BASE = "https://small.example/fhir/StructureDefinition/"


def _opts(*pairs):
    return [{"code": c, "text": t} for c, t in pairs]


def _q(code, type_, text, fhir, **kw):
    d = {"code": code}
    if "group" in kw:
        d["group"] = kw.pop("group")
    d["text"] = text
    d["type"] = type_
    if "options" in kw:
        d["options"] = kw.pop("options")
    if "shown" in kw:
        d["shown"] = kw.pop("shown")
    d["required"] = kw.pop("required", False)
    if "constraints" in kw:
        d["constraints"] = kw.pop("constraints")
    if kw.pop("pii_scan", False):
        d["pii_scan"] = True
    d["fhir"] = fhir
    assert not kw, kw
    return d


def _sec(section, prop):
    return {"section": section, "property": prop}


STEPS = [{"min": 1, "max": 30, "step": 1}, {"min": 31, "max": 371, "step": 31},
         {"min": 372, "max": 74028, "step": 372}]

SMALL_1 = {
    "taxonomy": "small",
    "version": "901",
    "published": "2026-01-01",
    "fhir": {"profile": BASE + "small-event-901", "extension_base": BASE},
    "sections": [
        {"id": "core", "target": "AdverseEvent"},
        {"id": "timing", "target": "AdverseEvent"},
        {"id": "place", "target": "Location"},
        {"id": "measures", "target": "AdverseEvent"},
        {"id": "person", "target": "Patient"},
        {"id": "drug", "target": "Medication"},
        {"id": "kit", "target": "Device"},
        {"id": "reporter", "target": "Practitioner"},
    ],
    "groups": [
        {"id": "person", "text": "Person involved", "min": 1, "max": 2,
         "shown": {"q": "K01", "in": ["2"]}, "section": "person",
         "sequence_property": "PersonSequence"},
        {"id": "item", "text": "Item involved", "min": 0, "max": 3,
         "shown": {"all": []}, "section": "kit", "sequence_property": "ItemSequence"},
    ],
    "questions": [
        _q("K01", "choice", "What kind of event?", {"element": "event", "potential": ["3"]},
           options=_opts(("1", "Incident"), ("2", "Incident involving a person"), ("3", "Risk")),
           required=True),
        _q("K02", "date", "Exact date", {"element": "date"}, constraints=[{"not_future": True}]),
        _q("T01", "text", "Summary", _sec("core", "Summary"),
           constraints=[{"max_length": 10}, {"min_length": 2}]),
        _q("T02", "text", "Narrative", _sec("core", "Narrative"),
           constraints=[{"max_length": 2000}], pii_scan=True),
        _q("T03", "text", "Reference", _sec("core", "Ref"),
           constraints=[{"pattern": "^[A-Z]{2}[0-9]{2}$"}]),
        _q("C01", "choice", "Category", _sec("core", "Category"),
           options=_opts(("1", "One"), ("2", "Two"), ("3", "Three"), ("4", "Four"))),
        _q("M01", "multichoice", "Factors", _sec("core", "Factors"),
           options=_opts(("a", "A"), ("b", "B"), ("c", "C"), ("d", "D"), ("x", "None of these")),
           constraints=[{"max_items": 4}, {"exclusive": ["x"]}]),
        _q("M02", "multichoice", "Contributors", _sec("core", "Contributors"),
           options=_opts(("1", "One"), ("2", "Two"), ("3", "Three"), ("4", "Four"), ("5", "Five")),
           constraints=[{"min_items": 2}, {"max_items": 3}]),
        _q("D01", "date", "Onset date", _sec("timing", "OnsetDate"),
           constraints=[{"not_future": True}]),
        _q("Y01", "yearmonth", "Onset month", _sec("timing", "OnsetMonth"),
           shown={"q": "D01", "answered": False}, constraints=[{"not_future": True}]),
        _q("DT1", "datetime", "Reported at", _sec("timing", "ReportedAt"),
           constraints=[{"not_future": True}]),
        _q("TM1", "time", "Clock time", _sec("timing", "ClockTime")),
        _q("O01", "ods", "Site", _sec("place", "Site")),
        _q("S04", "text", "Site, if not an ODS code", _sec("place", "SiteOther"),
           shown={"q": "O01", "answered": False}, required={"q": "B01", "eq": True}),
        _q("I01", "integer", "Count", _sec("measures", "Count"),
           constraints=[{"min": 0}, {"max": 120}]),
        _q("I02", "integer", "Minutes", _sec("measures", "Minutes")),
        _q("N01", "decimal", "Dose", _sec("measures", "Dose"),
           constraints=[{"min": 0.5}, {"max": 99.5}]),
        _q("B01", "boolean", "Flag", _sec("measures", "Flag")),
        _q("H01", "nhs_number", "NHS number", _sec("person", "PatientNhs")),
        _q("S01", "text", "Category two detail", _sec("measures", "CategoryTwoDetail"),
           shown={"q": "C01", "in": ["2"]}, required=True),
        _q("S02", "text", "Factor D detail", _sec("measures", "FactorDDetail"),
           shown={"q": "M01", "in": ["d"]}),
        _q("S03", "text", "Reference note", _sec("measures", "RefNote"),
           shown={"q": "T03", "answered": True}),
        _q("S05", "text", "Flag note", _sec("measures", "FlagTrueNote"),
           shown={"q": "B01", "eq": True}),
        _q("S06", "text", "Dose one note", _sec("measures", "DoseOneNote"),
           shown={"q": "N01", "eq": 1}),
        _q("S07", "text", "High count note", _sec("measures", "CountHighNote"),
           shown={"q": "I01", "gte": 18}),
        _q("S08", "text", "Low count note", _sec("measures", "CountLowNote"),
           shown={"q": "I01", "lte": 2}),
        _q("S09", "text", "Always note", _sec("measures", "AlwaysNote"), shown={"all": []}),
        _q("S10", "text", "Never note", _sec("measures", "NeverNote"), shown={"any": []}),
        _q("S11", "text", "Flag not set note", _sec("measures", "FlagNotTrueNote"),
           shown={"not": {"q": "B01", "eq": True}}),
        _q("S12", "text", "Nested note", _sec("measures", "NestedNote"),
           shown={"all": [{"q": "C01", "in": ["1"]},
                          {"any": [{"q": "I01", "gte": 5},
                                   {"not": {"q": "TM1", "answered": False}}]}]}),
        _q("S13", "text", "Chained note", _sec("measures", "ChainNote"),
           shown={"q": "S01", "answered": True}),
        _q("MD1", "text", "Medicine", _sec("drug", "DrugName")),
        _q("RP1", "text", "Reporter", _sec("reporter", "ReporterName")),
        _q("G01", "choice", "Harm", _sec("person", "Harm"), group="person",
           options=_opts(("1", "Fatal"), ("2", "Severe"), ("3", "Moderate"), ("4", "Low"),
                         ("5", "None")),
           required=True),
        _q("G02", "integer", "Age in days", _sec("person", "AgeDays"), group="person",
           constraints=[{"steps": STEPS}]),
        _q("G03", "choice", "Harm confirmed", _sec("person", "HarmConfirmed"), group="person",
           options=_opts(("y", "Yes"), ("n", "No")), shown={"q": "G01", "in": ["1"]},
           required=True),
        _q("G04", "text", "Category one note", _sec("person", "CategoryOneNote"), group="person",
           shown={"q": "C01", "in": ["1"]}),
        _q("G05", "text", "Person note", _sec("person", "PersonNote"), group="person",
           constraints=[{"max_length": 2000}], pii_scan=True),
        _q("G06", "date", "Admission date", _sec("person", "AdmissionDate"), group="person"),
        _q("G11", "text", "Item name", _sec("kit", "ItemName"), group="item", required=True,
           constraints=[{"max_length": 50}]),
        _q("G12", "boolean", "Faulty", _sec("kit", "Faulty"), group="item"),
    ],
    "rules": [
        {"id": "R-PERSON-ADMIT", "group": "person", "severity": "error",
         "when": {"q": "G01", "in": ["1", "2"]}, "assert": {"q": "G06", "answered": True},
         "message": "Give the admission date of a person with fatal or severe harm."},
        {"id": "R-PERSON-FLAG", "group": "person", "severity": "warning",
         "when": {"q": "G01", "in": ["1"]}, "assert": {"q": "B01", "eq": True},
         "message": "A person died: set the flag."},
        {"id": "R-ADMIT-ORDER", "group": "person", "severity": "error",
         "assert": {"q": "G06", "not_before": "D01"},
         "message": "The admission date falls before the onset date."},
        {"id": "R-REPORT-ORDER", "severity": "error",
         "assert": {"q": "DT1", "not_before": "D01"},
         "message": "The event was reported before its onset date."},
        {"id": "R-MONTH-ORDER", "severity": "warning",
         "assert": {"q": "Y01", "not_after": "K02"},
         "message": "The onset month falls after the exact date."},
        {"id": "R-FLAG-FALSE", "severity": "warning",
         "when": {"q": "B01", "eq": False}, "assert": {"any": []},
         "message": "The flag is set to false: leave it out unless it was checked."},
    ],
}


def _small_2():
    t = copy.deepcopy(SMALL_1)
    t["version"] = "902"
    t["published"] = "2026-06-01"
    t["fhir"]["profile"] = BASE + "small-event-902"
    t["sections"] = [s for s in t["sections"] if s["id"] != "kit"]
    t["groups"] = [g for g in t["groups"] if g["id"] != "item"]
    qs = []
    for q in t["questions"]:
        if q["code"] in ("S13", "G11", "G12"):
            continue  # removed (G11, G12 with their group)
        if q["code"] == "C01":
            q["options"] = [{"code": "1", "text": "One"}, {"code": "2", "text": "Two"},
                            {"code": "3", "text": "Three", "retired": True}]  # 4 gone
        if q["code"] == "M01":
            for o in q["options"]:
                if o["code"] == "c":
                    o["retired"] = True
        if q["code"] == "G04":  # moved from the group to the top level
            del q["group"]
            q["fhir"] = {"section": "measures", "property": "CategoryOneNote"}
        qs.append(q)
        if q["code"] == "RP1":
            qs.append(_q("RK1", "text", "Risk owner", _sec("measures", "RiskOwner"),
                         required={"q": "K01", "in": ["3"]}))
    t["questions"] = qs
    return t


SMALL_2 = _small_2()
