export {
  ACTION_OPERATORS,
  CONDITION_OPERATORS,
  INSPECTION_PHASES,
  MAX_USER_PRIORITY,
  MULTIPLE_MODES,
  UNSUPPORTED_ACTIONS,
  parseInvertedOperator,
  type MultipleMode,
  type OperationSignature,
} from './operations';
export { argumentProblem } from './arguments';
export { formatString, interpolate, pythonStr } from './interpolation';
export { type RuleLogLevel, type RuleTarget } from './actions';
export { runInspectionRules, type RuleOperation, type RunnableRule } from './engine';
