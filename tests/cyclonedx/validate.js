// Validates CycloneDX JSON BOMs against the official CycloneDX 1.6 JSON
// schema with @cyclonedx/cyclonedx-library's JSON validator (ajv inside).
//   node tests/cyclonedx/validate.js BOM.json...
// Exit 0 when every file is valid; 1 with the schema errors otherwise;
// 2 when the validator itself is missing (run scripts/install-deps).
'use strict';
const fs = require('fs');
let CDX;
try {
  CDX = require('@cyclonedx/cyclonedx-library');
} catch (e) {
  console.error('validate.js: @cyclonedx/cyclonedx-library is not installed (scripts/install-deps): ' + e.message);
  process.exit(2);
}

(async () => {
  const v = new CDX.Validation.JsonStrictValidator(CDX.Spec.Version.v1dot6);
  let bad = 0;
  for (const f of process.argv.slice(2)) {
    const text = fs.readFileSync(f, 'utf8');
    let errors;
    try {
      errors = await v.validate(text);
    } catch (e) {
      console.error(`${f}: the validator failed: ${e.message}`);
      process.exit(2);
    }
    if (errors !== null) {
      console.error(`${f}: not a valid CycloneDX 1.6 BOM:\n${JSON.stringify(errors, null, 1).slice(0, 4000)}`);
      bad++;
    } else
      console.log(`${f}: valid CycloneDX 1.6`);
  }
  process.exit(bad ? 1 : 0);
})();
