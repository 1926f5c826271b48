/**
 * Findings, as checks return them. The type lives in the model
 * (`model/finding.ts`) so that the planner, a layer below checks, returns
 * findings too; checks keep this name for it.
 */
export { objectOf, sortFindings, type Finding, type FindingObject, type Severity } from '../model/finding.js';
