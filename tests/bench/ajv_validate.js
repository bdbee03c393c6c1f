// ajv 8 baseline: JSON.parse + validate (allErrors) of every event line against the schema
// lfpse exports, and against the same schema without its conditional parts (every `allOf`
// removed: types, enums, lengths and required only), which ajv validates far faster.
// Prints {"ajv_per_s", "ajv_types_only_per_s", "ajv_valid"} (median events/s).
// usage: node ajv_validate.js AJV_MODULE_DIR SCHEMA.json EVENTS.jsonl ROUNDS
const path = require('path');
const fs = require('fs');
const [moduleDir, schemaFile, eventsFile, roundsArg] = process.argv.slice(2);
const Ajv2020 = require(path.join(moduleDir, 'node_modules', 'ajv', 'dist', '2020')).default;
const schema = JSON.parse(fs.readFileSync(schemaFile, 'utf8'));
const lines = fs.readFileSync(eventsFile, 'utf8').split('\n').filter((l) => l.length > 0);

function withoutAllOf(node) {
  if (Array.isArray(node)) return node.map(withoutAllOf);
  if (node === null || typeof node !== 'object') return node;
  const out = {};
  for (const [k, v] of Object.entries(node)) if (k !== 'allOf') out[k] = withoutAllOf(v);
  return out;
}

function measure(s) {
  const validate = new Ajv2020({ allErrors: true, strict: false }).compile(s);
  const rates = [];
  let valid = 0;
  for (let r = 0; r < Number(roundsArg); r++) {
    valid = 0;
    const start = process.hrtime.bigint();
    for (const line of lines) {
      if (validate(JSON.parse(line))) valid++;
    }
    rates.push(lines.length / (Number(process.hrtime.bigint() - start) / 1e9));
  }
  rates.sort((a, b) => a - b);
  return { rate: rates[Math.floor(rates.length / 2)], valid };
}

const full = measure(schema);
const typesOnly = measure(withoutAllOf(schema));
console.log(JSON.stringify({ ajv_per_s: full.rate, ajv_types_only_per_s: typesOnly.rate, ajv_valid: full.valid }));
