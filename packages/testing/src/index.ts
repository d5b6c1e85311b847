export { FakeCommandRunner, type RecordedAnswer, type Recording } from './fake-command-runner.js';
export { createStandInTools, type StandInAnswer, type StandInTools, UNRECORDED_EXIT_CODE } from './stand-in-tools.js';
