/** `plinth schema`: print the JSON Schema of plinth.yaml, for editors. */
import { configJsonSchema } from '../../config/schema.js';
import type { CommandSpec } from '../command.js';

export const schemaCommand: CommandSpec = {
  name: 'schema',
  summary: 'print the JSON Schema of plinth.yaml (for editors)',
  usage: 'plinth schema',
  options: {},
  async run(io) {
    io.stdout.write(`${JSON.stringify(configJsonSchema(), null, 2)}\n`);
    return 0;
  },
};
