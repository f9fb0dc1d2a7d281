/**
 * `npm run workflows`: writes every `workflows/<name>.asl.json` from its typed definition in
 * `workflows/definitions/`, and the diagrams in `workflows/README.md`. The JSON files are
 * committed because CDK, the local engine and the tests load them; a test fails when they
 * differ from what this writes.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { aslPath, WORKFLOWS } from './catalog.js';
import { DEFINITIONS, renderAsl } from './definitions/index.js';
import { renderDiagrams } from './diagrams.js';

const readmePath = fileURLToPath(new URL('./README.md', import.meta.url));

for (const name of WORKFLOWS) {
  writeFileSync(aslPath(name), renderAsl(DEFINITIONS[name]));
  console.log(`wrote workflows/${name}.asl.json`);
}
writeFileSync(readmePath, renderDiagrams(readFileSync(readmePath, 'utf8'), DEFINITIONS));
console.log('wrote the diagrams in workflows/README.md');
