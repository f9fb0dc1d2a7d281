import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { TASK_FORMS } from '../../functions/app/task-forms.js';
import { isTaskName, TASK_AUDIENCE, TASK_DECISIONS } from '../../functions/domain/workflow-names.js';
import { aslPath, STEP_FUNCTIONS, WORKFLOWS } from '../../workflows/catalog.js';

const require = createRequire(import.meta.url);
const aslValidator = require('asl-validator') as (definition: unknown) => {
  isValid: boolean;
  errorsText: (sep?: string) => string;
};

interface State {
  Type: string;
  Next?: string;
  Default?: string;
  Choices?: { Variable?: string; StringEquals?: string; Next: string }[];
  Catch?: { ErrorEquals: string[]; Next: string }[];
  Parameters?: { FunctionName?: string; Payload?: Record<string, unknown> };
  Arguments?: { FunctionName?: string; Payload?: Record<string, unknown> };
  Resource?: string;
}

/** What a Task state gives its step function, whichever query language it is written in. */
const invocation = (state: State) => state.Arguments ?? state.Parameters;

function load(name: (typeof WORKFLOWS)[number]): { StartAt: string; States: Record<string, State> } {
  return JSON.parse(readFileSync(aslPath(name), 'utf8'));
}

describe.each(WORKFLOWS)('workflows/%s.asl.json', (name) => {
  const definition = load(name);

  it('is valid Amazon States Language', () => {
    const result = aslValidator(definition);

    expect(result.isValid, result.errorsText('\n')).toBe(true);
  });

  it('reaches every state from StartAt and names only states that exist', () => {
    const states = definition.States;
    const seen = new Set<string>();
    const visit = (state: string) => {
      if (seen.has(state)) return;
      expect(states, `"${state}" is named but not defined`).toHaveProperty([state]);
      seen.add(state);
      const s = states[state] as State;
      for (const next of [
        s.Next,
        s.Default,
        ...(s.Choices ?? []).map((c) => c.Next),
        ...(s.Catch ?? []).map((c) => c.Next),
      ]) {
        if (next) visit(next);
      }
    };
    visit(definition.StartAt);

    expect([...seen].sort()).toEqual(Object.keys(states).sort());
  });

  it('calls only the step functions of the catalog, through substitutions', () => {
    const substitutions = new Set(Object.keys(STEP_FUNCTIONS).map((k) => `\${${k}}`));
    for (const state of Object.values(definition.States)) {
      if (state.Type !== 'Task') continue;
      expect(substitutions).toContain(invocation(state)?.FunctionName);
    }
  });

  it('handles every decision that finishes a task, and no other', () => {
    const states = definition.States;
    let waits = 0;
    for (const state of Object.values(states)) {
      const task = invocation(state)?.Payload?.task;
      if (typeof task !== 'string') continue;
      waits++;
      expect(isTaskName(task), `task "${task}" is not a task name`).toBe(true);
      if (!isTaskName(task)) continue;
      expect(TASK_AUDIENCE, `task "${task}" has no audience`).toHaveProperty([task]);
      expect(TASK_FORMS[task], `task "${task}" has no form`).toBeDefined();
      const expected = invocation(state)?.Payload?.expected;
      const next = states[state.Next as string] as State;
      if (typeof expected === 'string') {
        // The expected decision is the task's success; every other is caught by its name.
        const caught = (state.Catch ?? [])
          .flatMap((c) => c.ErrorEquals)
          .filter((e) => e.startsWith('Decision.'))
          .map((e) => e.slice('Decision.'.length));
        expect([expected, ...caught].sort(), `the decisions "${task}" hands over`).toEqual(
          [...TASK_DECISIONS[task]].sort(),
        );
      } else if (next.Type === 'Choice' && next.Choices?.[0]?.Variable === '$.task.decision') {
        const handled = (next.Choices ?? []).map((c) => c.StringEquals).sort();
        expect(handled).toEqual([...TASK_DECISIONS[task]].sort());
      }
    }
    expect(waits).toBeGreaterThan(0);
  });
});
