/**
 * Local AWS Step Functions: an engine that runs the project's ASL files like AWS does, on an
 * injected clock, and an HTTP endpoint that speaks the Step Functions API to the AWS SDK.
 */
export type { Catcher, MachineDefinition, Retrier, StateDefinition, TaskIntegration } from './asl.js';
export { lambdaFunctionName, substitute, taskIntegration } from './asl.js';
export type { PendingTask } from './callbacks.js';
export type { Clock, IdleWaiter } from './clock.js';
export {
  LocalClock,
  processClock,
  processNow,
  ScaledClock,
  SystemClock,
  setProcessClock,
  VirtualClock,
} from './clock.js';
export type { LocalStepFunctionsOptions, StepFunctionsApi } from './engine.js';
export { LocalStepFunctions, validateDefinition } from './engine.js';
export type { SfnErrorCode } from './errors.js';
export { ExecutionStoppedError, SfnApiError, StatesError } from './errors.js';
export type {
  ExecutionDescription,
  ExecutionFilter,
  ExecutionListItem,
  HistoryEvent,
  RedriveStatus,
} from './executions.js';
export type { LambdaContextLike, LambdaHandler } from './lambda.js';
export type { StepFunctionsServer, StepFunctionsServerOptions } from './server.js';
export { startStepFunctionsServer } from './server.js';
export type { Checkpoint, ExecutionRecord, ExecutionStatus, StateMachineRecord } from './store.js';
export { DEFAULT_TASK_TIMEOUT_SECONDS } from './task-state.js';
