export { FakeCommandRunner, type RecordedAnswer, type Recording } from './fake-command-runner.js';
