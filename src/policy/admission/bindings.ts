/** The CEL bindings of one request, converted once and shared by every policy evaluated on it. */
import type { CelBindings } from '../cel/compile.js';
import { storedObject, toCel } from '../cel/values.js';
import { admissionRequest, type Attributes } from './request.js';

export function requestBindings(a: Attributes): CelBindings {
  return {
    object: toCel(storedObject(a.object)),
    oldObject: toCel(storedObject(a.oldObject)),
    request: toCel(admissionRequest(a)),
    namespaceObject: toCel(storedObject(a.namespaceObject)),
    params: null,
    variables: {},
    exceptions: { allowedImages: [], allowedValues: [] },
  };
}
