/**
 * The task forms moved to `functions/app/task-forms.ts` (definitions) and
 * `functions/app/task-form-schema.ts` (validation), next to the use case that validates them;
 * the pages import them from there. This module only re-exports them for the browser and
 * workflow-definition tests that still import from here.
 */

export { validateTaskForm } from '../app/task-form-schema.js';
export { TASK_FORMS } from '../app/task-forms.js';
export { isTaskName, TASK_NAMES, type TaskName } from '../domain/workflow-names.js';
