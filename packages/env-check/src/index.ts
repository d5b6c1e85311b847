export type {
  CheckContext,
  CheckFacts,
  CheckResult,
  CheckStatus,
  DoctorReport,
  EnvironmentCheck,
} from './check-types.js';
export { defaultChecks } from './default-checks.js';
export { runCheck, runDoctor } from './run-doctor.js';
export {
  type DoctorReportJson,
  type Paint,
  type PaintStyle,
  doctorReportJson,
  formatDoctorReport,
} from './doctor-report.js';
export { type NodeCheckContextDeps, nodeCheckContext } from './node-check-context.js';
export { type OsHints, hintFor } from './hint-for.js';
export { type CheckOutcome, type Report, defineCheck } from './define-check.js';
