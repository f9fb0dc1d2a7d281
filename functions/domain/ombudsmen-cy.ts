import type { Language } from './language.js';
import { OMBUDSMEN, type OmbudsmanDetails } from './ombudsmen.js';

/**
 * The ombudsman as a Welsh letter names it. The Public Services Ombudsman for Wales publishes its
 * name and website in Welsh ("Ombwdsmon Gwasanaethau Cyhoeddus Cymru", ombwdsmon.cymru); its
 * phone number is the same in both languages. A policy's own override of the office's name or
 * website is kept as the council wrote it.
 */
const WELSH: Partial<Record<OmbudsmanDetails['kind'], { name: string; url: string }>> = {
  psow: { name: 'Ombwdsmon Gwasanaethau Cyhoeddus Cymru', url: 'https://www.ombwdsmon.cymru' },
};

export function ombudsmanInLanguage(details: OmbudsmanDetails, language: Language): OmbudsmanDetails {
  const welsh = WELSH[details.kind];
  if (language !== 'cy' || !welsh) return details;
  const published = OMBUDSMEN[details.kind];
  return {
    ...details,
    ...(details.name === published.name ? { name: welsh.name } : {}),
    ...(details.url === published.url ? { url: welsh.url } : {}),
  };
}
