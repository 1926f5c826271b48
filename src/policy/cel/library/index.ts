/** The Kubernetes CEL library functions Plinth adds to cel-js, registered together. */
import type { Environment } from '../vendor.js';
import { registerLists } from './lists.js';
import { registerQuantity } from './quantity.js';
import { registerRegex } from './regex.js';
import { registerStrings } from './strings.js';

export { parseKubernetesQuantity, Quantity } from './quantity.js';

/** Names of what `registerKubernetesLibrary` adds, for documentation and `plinth policy --help`. */
export const KUBERNETES_LIBRARY_FUNCTIONS = [
  'list.isSorted()', 'list.sum()', 'list.min()', 'list.max()', 'list.indexOf(x)', 'list.lastIndexOf(x)',
  'sets.contains(a, b)', 'sets.intersects(a, b)', 'sets.equivalent(a, b)',
  'string.charAt(i)', 'string.replace(old, new[, n])', 'string.matches(re) (RE2)', 'matches(s, re) (RE2)', 'string.find(re)', 'string.findAll(re[, n])',
  'quantity(s)', 'isQuantity(s)', 'Quantity.compareTo/isLessThan/isGreaterThan/add/sub/sign/isInteger/asInteger/asApproximateFloat',
] as const;

export function registerKubernetesLibrary(env: Environment): Environment {
  registerLists(env);
  registerStrings(env);
  registerRegex(env);
  registerQuantity(env);
  return env;
}
