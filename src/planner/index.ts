/**
 * The planner: a scheduling simulation that follows kube-scheduler's filters,
 * scores, priority and preemption, run over the platform's pods in the
 * failure scenarios of seed 001. Pure functions of data; no I/O.
 */
export { Cluster, type Binding } from './cluster.js';
export { checkPlan, planFindings, PLAN_CHECK, type PlanCheckOptions } from './findings.js';
export { workloadsFromRendered, priorityClassesOfRendered } from './from-rendered.js';
export { workloadsFromUnits, priorityClassesOfUnits } from './from-units.js';
export { declaredInput, renderedInput, namespaceLabelsOf, type InputOptions } from './input.js';
export { simNode, simNodes, DEFAULT_MAX_PODS } from './nodes.js';
export { podsOf, daemonSetWantsNode, DAEMONSET_TOLERATIONS } from './pods.js';
export { resolvePriority, priorityClassesFrom, SYSTEM_PRIORITY_CLASSES, type PriorityClasses } from './priority.js';
export type { NodeReport, PendingPod, PlacedPod, PodReport, PreemptionReport, ScenarioReport, SimulationReport, TierVerdict, Verdict } from './report.js';
export { podRequests, podNonZeroRequests } from './requests.js';
export { kindOf, scenarioLosing, selectScenarios, standardScenarios, SCENARIO_NAMES_HELP, type ScenarioKind, type ScenarioSpec } from './scenarios.js';
export { runQueue, scheduleOne, type Outcome } from './scheduler.js';
export { OUT_OF_SERVICE_TAINT, simulate } from './simulate.js';
export { simulationSvg, scenarioPanel } from './svg.js';
export { scenarioText, simulationText } from './text.js';
export type { PlanInput, SimNode, SimPod, SimPodSpec, SimWorkload } from './types.js';
