/** `plinth schema`: print the JSON Schema of plinth.yaml, for editors. */
import { CATALOG } from '../../catalog/index.js';
import { configJsonSchema } from '../../config/schema.js';
import type { CommandSpec } from '../command.js';

export const schemaCommand: CommandSpec = {
  name: 'schema',
  summary: 'print the JSON Schema of plinth.yaml (for editors)',
  usage: 'plinth schema',
  options: {},
  async run(io) {
    io.stdout.write(`${JSON.stringify(configJsonSchema({ componentNames: CATALOG.map((c) => c.name) }), null, 2)}\n`);
    return 0;
  },
};
