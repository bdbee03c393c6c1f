// ajv 8 baseline: JSON.parse + validate (allErrors) of every event line against the schema
// lfpse exports. Prints {"ajv_per_s": median events/s, "ajv_valid": n}.
// usage: node ajv_validate.js AJV_MODULE_DIR SCHEMA.json EVENTS.jsonl ROUNDS
const path = require('path');
const fs = require('fs');
const [moduleDir, schemaFile, eventsFile, roundsArg] = process.argv.slice(2);
const Ajv2020 = require(path.join(moduleDir, 'node_modules', 'ajv', 'dist', '2020')).default;
const ajv = new Ajv2020({ allErrors: true, strict: false });
const validate = ajv.compile(JSON.parse(fs.readFileSync(schemaFile, 'utf8')));
const lines = fs.readFileSync(eventsFile, 'utf8').split('\n').filter((l) => l.length > 0);
const rates = [];
let valid = 0;
for (let r = 0; r < Number(roundsArg); r++) {
  valid = 0;
  const start = process.hrtime.bigint();
  for (const line of lines) {
    if (validate(JSON.parse(line))) valid++;
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  rates.push(lines.length / seconds);
}
rates.sort((a, b) => a - b);
console.log(JSON.stringify({ ajv_per_s: rates[Math.floor(rates.length / 2)], ajv_valid: valid }));
