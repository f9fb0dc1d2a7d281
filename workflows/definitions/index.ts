import type { WorkflowName } from '../../functions/domain/workflow-names.js';
import { complaint } from './complaint.js';
import { comment, compliment, representation } from './feedback.js';
import { socialCare } from './social-care.js';
import type { AslDefinition } from './states.js';

/** Every workflow's definition, generated into `workflows/<name>.asl.json` by `npm run workflows`. */
export const DEFINITIONS: Readonly<Record<WorkflowName, AslDefinition>> = {
  complaint,
  compliment,
  comment,
  representation,
  'social-care': socialCare,
};

/** The text of a workflow's ASL file, exactly as committed. */
export function renderAsl(definition: AslDefinition): string {
  return `${JSON.stringify(definition, null, 2)}\n`;
}

export type { AslDefinition, AslState } from './states.js';
