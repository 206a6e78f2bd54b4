// What the schemas generate; shared by gen.ts and the contract tests, so both see the same text.
import { stringify } from 'yaml';
import type { StepSchema } from '../shared/src/inputs.js';
import { table } from '../shared/src/report/markdown.js';

export function actionYml(schema: StepSchema): string {
  const inputs: Record<string, Record<string, unknown>> = {};
  for (const [name, spec] of Object.entries(schema.inputs)) {
    const description = spec.options ? `${spec.description} One of: ${spec.options.join(', ')}.` : spec.description;
    inputs[name] = { description, required: spec.required ?? false };
    if (spec.default !== undefined) inputs[name].default = spec.default;
  }
  const outputs: Record<string, { description: string }> = {};
  for (const [name, spec] of Object.entries(schema.outputs)) outputs[name] = { description: spec.description };
  const body = stringify(
    {
      name: `Shipgate ${schema.name}`,
      description: schema.title,
      author: 'Shipgate',
      branding: { icon: 'shield', color: 'blue' },
      inputs,
      outputs,
      runs: { using: 'node24', main: 'dist/index.js' },
    },
    { lineWidth: 0 },
  );
  return `# Generated from actions/${schema.name}/src/schema.ts by \`npm run gen\`: edit the schema, not this file.\n${body}`;
}

export function readmeInputs(schema: StepSchema): string {
  const inputs = table(
    ['Input', 'Default', 'Description'],
    Object.entries(schema.inputs).map(([name, s]) => [
      `\`${name}\``,
      s.required ? '*required*' : s.default ? `\`${s.default.replace(/\n/g, '\\n')}\`` : '',
      s.options ? `${s.description} One of: ${s.options.map((o) => `\`${o}\``).join(', ')}.` : s.description,
    ]),
  );
  const outputs = table(
    ['Output', 'Description'],
    Object.entries(schema.outputs).map(([name, s]) => [`\`${name}\``, s.description]),
  );
  return `${inputs}\n\n${outputs}`;
}
