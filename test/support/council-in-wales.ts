import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A policy file for a council in Wales that offers Welsh, on a preset's timescales: the preset
 * (`extends`), English and Welsh on the form, and the Public Services Ombudsman for Wales. None of
 * the shipped presets is a Welsh council's; the letters tests and `npm run letters` need one.
 */
export function councilInWales(preset: string): string {
  const id = `${preset}-in-wales`;
  const file = join(mkdtempSync(join(tmpdir(), 'redress-council-in-wales-')), `${id}.json`);
  writeFileSync(
    file,
    JSON.stringify({ extends: preset, id, languages: ['en', 'cy'], ombudsman: { nation: 'wales' } }),
  );
  return file;
}
