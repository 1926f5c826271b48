/** The Kubernetes CEL library functions Plinth adds to cel-js, registered together. */
import type { Environment } from '../vendor.js';
import { registerFormat } from './format.js';
import { registerIP } from './ip.js';
import { registerLists } from './lists.js';
import { registerQuantity } from './quantity.js';
import { registerRegex } from './regex.js';
import { registerSemver } from './semver.js';
import { registerStrings } from './strings.js';
import { registerURL } from './url.js';

export { parseKubernetesQuantity, Quantity } from './quantity.js';

/** Names of what `registerKubernetesLibrary` adds, for documentation and `plinth policy --help`. */
export const KUBERNETES_LIBRARY_FUNCTIONS = [
  'list.isSorted()', 'list.sum()', 'list.min()', 'list.max()', 'list.indexOf(x)', 'list.lastIndexOf(x)',
  'sets.contains(a, b)', 'sets.intersects(a, b)', 'sets.equivalent(a, b)',
  'string.charAt(i)', 'string.replace(old, new[, n])', 'string.matches(re) (RE2)', 'matches(s, re) (RE2)', 'string.find(re)', 'string.findAll(re[, n])',
  'quantity(s)', 'isQuantity(s)', 'Quantity.compareTo/isLessThan/isGreaterThan/add/sub/sign/isInteger/asInteger/asApproximateFloat',
  'ip(s)', 'isIP(s)', 'ip.isCanonical(s)', 'IP.family/isUnspecified/isLoopback/isLinkLocalMulticast/isLinkLocalUnicast/isGlobalUnicast', 'string(ip)',
  'cidr(s)', 'isCIDR(s)', 'CIDR.containsIP/containsCIDR/ip/masked/prefixLength', 'string(cidr)',
  'url(s)', 'isURL(s)', 'URL.getScheme/getHost/getHostname/getPort/getEscapedPath/getQuery',
  'string.format(args)',
  'semver(s[, normalize])', 'isSemver(s[, normalize])', 'Semver.major/minor/patch/compareTo/isLessThan/isGreaterThan',
] as const;

export function registerKubernetesLibrary(env: Environment): Environment {
  registerLists(env);
  registerStrings(env);
  registerRegex(env);
  registerQuantity(env);
  registerIP(env);
  registerURL(env);
  registerFormat(env);
  registerSemver(env);
  return env;
}
