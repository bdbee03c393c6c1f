#!/usr/bin/env python3
"""Runs the validation benchmark with its baselines in one run and prints figures and ratios.

1. bench_validate (C++, one core): lfpse validate / shown / to-FHIR, RapidJSON's bare
   parse-and-walk of the same texts, latency percentiles, built-in taxonomy load time.
2. ajv 8 (node; installed from the npm registry into OUT/node on first use) with allErrors:
   JSON.parse + validate against the JSON Schema lfpse exports.
3. Debian's python3-jsonschema (Draft 2020-12, every error) on a slice of the same events.
4. valgrind --tool=callgrind: instructions per validated event (repeatable, unlike time).
A baseline whose tool is missing is reported as skipped, never invented.
"""
import argparse, json, os, re, shutil, subprocess, sys, time

def run_json(cmd, **kw):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, **kw).stdout
    return json.loads(out.strip().splitlines()[-1])

def ajv_baseline(out, rounds):
    node = shutil.which("node")
    if not node or not shutil.which("npm"):
        return None, "node/npm not installed"
    mod = os.path.join(out, "node")
    if not os.path.isdir(os.path.join(mod, "node_modules", "ajv")):
        os.makedirs(mod, exist_ok=True)
        r = subprocess.run(["npm", "install", "--silent", "--prefix", mod, "ajv@8"],
                           capture_output=True, text=True)
        if r.returncode != 0:
            return None, "npm install ajv@8 failed: " + r.stderr.strip()[:200]
    here = os.path.dirname(os.path.abspath(__file__))
    return run_json([node, os.path.join(here, "ajv_validate.js"), mod,
                     os.path.join(out, "schema-5.json"), os.path.join(out, "events.jsonl"),
                     str(rounds)]), None

def without_all_of(node):
    """The schema without its conditional parts: types, enums, lengths, required only."""
    if isinstance(node, list):
        return [without_all_of(v) for v in node]
    if isinstance(node, dict):
        return {k: without_all_of(v) for k, v in node.items() if k != "allOf"}
    return node

def jsonschema_baseline(out, count, rounds):
    try:
        import jsonschema
    except ImportError:
        return None, "python3-jsonschema not installed"
    schema = json.load(open(os.path.join(out, "schema-5.json")))
    lines = open(os.path.join(out, "events.jsonl")).read().splitlines()[:count]
    result = {"jsonschema_events": len(lines)}
    for key, s in (("jsonschema_per_s", schema), ("jsonschema_types_only_per_s", without_all_of(schema))):
        validator = jsonschema.Draft202012Validator(s)
        rates = []
        for _ in range(rounds):
            start = time.perf_counter()
            for line in lines:
                list(validator.iter_errors(json.loads(line)))
            rates.append(len(lines) / (time.perf_counter() - start))
        rates.sort()
        result[key] = rates[len(rates) // 2]
    return result, None

def callgrind(bench, out, n):
    """Instructions per event of lfpse's validation and of RapidJSON's bare parse-and-walk."""
    if not shutil.which("valgrind"):
        return None, "valgrind not installed"
    result = {"callgrind_events": n}
    for key, function in (("instructions_per_event", "lfpse_bench_validate_all"),
                          ("rapidjson_instructions_per_event", "lfpse_bench_rapidjson_all")):
        target = os.path.join(out, "callgrind." + function)
        subprocess.run(["valgrind", "--tool=callgrind", "--toggle-collect=" + function,
                        "--callgrind-out-file=" + target, bench, out, "--events", str(n),
                        "--callgrind", str(n)], check=True, capture_output=True)
        m = re.search(r"^(?:summary|totals):\s*(\d+)", open(target).read(), re.M)
        result[key] = int(m.group(1)) / n
    return result, None

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bench", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--events", type=int, default=10000)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)

    f = run_json([args.bench, args.out, "--rounds", str(args.rounds), "--events", str(args.events)])
    ajv, ajv_why = ajv_baseline(args.out, args.rounds)
    js, js_why = jsonschema_baseline(args.out, 1000, 3)
    cg, cg_why = callgrind(args.bench, args.out, 1000)

    us = lambda rate: 1e6 / rate
    print(f"events: {f['events']} ({f['valid']} valid), size p10/p50/p90: "
          f"{f['size_p10']}/{f['size_p50']}/{f['size_p90']} bytes; median of {f['rounds']} rounds, one core")
    print(f"  lfpse validate-from-text   {f['validate_per_s']:>10.0f} events/s  {us(f['validate_per_s']):7.2f} us/event"
          f"  (p50 {f['validate_p50_us']:.2f} us, p99 {f['validate_p99_us']:.2f} us)")
    print(f"  lfpse shown-questions      {f['shown_per_s']:>10.0f} events/s  {us(f['shown_per_s']):7.2f} us/event")
    print(f"  lfpse to-FHIR (valid ones) {f['to_fhir_per_s']:>10.0f} events/s  {us(f['to_fhir_per_s']):7.2f} us/event")
    print(f"  RapidJSON parse+walk (DOM) {f['rapidjson_parse_walk_per_s']:>10.0f} events/s  {us(f['rapidjson_parse_walk_per_s']):7.2f} us/event")
    print(f"  RapidJSON in-situ+walk     {f['rapidjson_insitu_parse_walk_per_s']:>10.0f} events/s  {us(f['rapidjson_insitu_parse_walk_per_s']):7.2f} us/event")
    if ajv:
        print(f"  ajv 8 parse+validate       {ajv['ajv_per_s']:>10.0f} events/s  {us(ajv['ajv_per_s']):7.2f} us/event  (full schema)")
        print(f"  ajv 8, types-only schema   {ajv['ajv_types_only_per_s']:>10.0f} events/s  {us(ajv['ajv_types_only_per_s']):7.2f} us/event  (no conditions)")
    else:
        print(f"  ajv 8: skipped ({ajv_why})")
    if js:
        print(f"  python3-jsonschema         {js['jsonschema_per_s']:>10.0f} events/s  {us(js['jsonschema_per_s']):7.2f} us/event"
              f"  (full schema, {js['jsonschema_events']} events, median of 3)")
        print(f"  python3-jsonschema, types  {js['jsonschema_types_only_per_s']:>10.0f} events/s  {us(js['jsonschema_types_only_per_s']):7.2f} us/event  (no conditions)")
    else:
        print(f"  python3-jsonschema: skipped ({js_why})")
    print(f"  load built-in taxonomies 5+6: {f['load_builtin_ms_median']:.3f} ms (median of 21)")
    if cg:
        print(f"  callgrind: {cg['instructions_per_event']:.0f} instructions per validated event, "
              f"{cg['rapidjson_instructions_per_event']:.0f} per RapidJSON parse+walk "
              f"({cg['callgrind_events']} events)")
    else:
        print(f"  callgrind: skipped ({cg_why})")
    print("ratios (targets in brackets):")
    v = f["validate_per_s"]
    if ajv:
        print(f"  validate vs ajv:               {v / ajv['ajv_per_s']:.2f}x full schema, "
              f"{v / ajv['ajv_types_only_per_s']:.2f}x types-only  [>= 1.5x]")
    if js:
        print(f"  validate vs python-jsonschema: {v / js['jsonschema_per_s']:.0f}x full schema, "
              f"{v / js['jsonschema_types_only_per_s']:.0f}x types-only  [>= 40x]")
    print(f"  RapidJSON DOM time / validate time: {v / f['rapidjson_parse_walk_per_s']:.2f}"
          f"  (validate costs {f['rapidjson_parse_walk_per_s'] / v:.2f}x the bare parse) [<= 1.5x]")
    if cg:
        print(f"  instructions, validate / RapidJSON parse+walk: "
              f"{cg['instructions_per_event'] / cg['rapidjson_instructions_per_event']:.2f}x  [<= 1.5x]")
    print(f"  p99 {f['validate_p99_us']:.1f} us [< 50 us]; load {f['load_builtin_ms_median']:.2f} ms [< 5 ms]"
          + (f"; {cg['instructions_per_event']:.0f} instr/event [< 250,000]" if cg else ""))

if __name__ == "__main__":
    main()
