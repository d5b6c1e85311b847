import { describe, expect, it } from 'vitest';
import { Channel, closeFrame, decodeFrame, encodeFrame, encodeFrames, exitFromStatus, MAX_FRAME_DATA, PortForwardFrames, resizeFrame } from './channel-frames.js';

const port = (n: number) => {
  const bytes = Buffer.alloc(2);
  bytes.writeUInt16LE(n);
  return bytes;
};

describe('exec frames', () => {
  it('puts the channel byte before the data', () => {
    expect([...encodeFrame(Channel.stdin, 'hi')]).toEqual([0, 0x68, 0x69]);
    expect([...encodeFrame(Channel.stdout, Buffer.from([1, 2]))]).toEqual([1, 1, 2]);
    expect([...encodeFrame(Channel.stdin)]).toEqual([0]);
  });

  it("v5's close signal names the channel it closes", () => {
    expect([...closeFrame(Channel.stdin)]).toEqual([255, 0]);
  });

  it('reads the channel and data of a message; an empty message is nothing', () => {
    expect(decodeFrame(Buffer.from([2, 0x6f, 0x6b]))).toEqual({ channel: 2, data: Buffer.from('ok') });
    expect(decodeFrame(Buffer.from([1]))).toEqual({ channel: 1, data: Buffer.alloc(0) });
    expect(decodeFrame(Buffer.alloc(0))).toBeNull();
  });

  it('cuts large input into messages of at most MAX_FRAME_DATA bytes, each with its channel byte', () => {
    const data = Buffer.alloc(MAX_FRAME_DATA * 2 + 5, 7);
    const frames = encodeFrames(Channel.stdin, data);
    expect(frames.map((f) => f.length)).toEqual([MAX_FRAME_DATA + 1, MAX_FRAME_DATA + 1, 6]);
    expect(frames.every((f) => f[0] === 0)).toBe(true);
    expect(Buffer.concat(frames.map((f) => f.subarray(1)))).toEqual(data);
    expect(encodeFrames(Channel.stdin, Buffer.alloc(0))).toEqual([]);
  });

  it('writes a terminal size as the resize channel expects it', () => {
    const frame = resizeFrame(120, 40);
    expect(frame[0]).toBe(4);
    expect(JSON.parse(frame.subarray(1).toString())).toEqual({ Width: 120, Height: 40 });
  });
});

describe('exitFromStatus', () => {
  it.each<[string, string, ReturnType<typeof exitFromStatus>]>([
    ['Success is exit code 0', '{"metadata":{},"status":"Success"}', { exitCode: 0 }],
    [
      'NonZeroExitCode carries the code in its ExitCode cause',
      '{"metadata":{},"status":"Failure","message":"command terminated with non-zero exit code: error executing command [sh -c exit 3], exit code 3","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"3"}]}}',
      { exitCode: 3 },
    ],
    [
      'another failure: the command did not run',
      '{"metadata":{},"status":"Failure","message":"OCI runtime exec failed: exec failed: unable to start container process: exec: \\"tar\\": executable file not found in $PATH: unknown","reason":"InternalError"}',
      { failure: 'OCI runtime exec failed: exec failed: unable to start container process: exec: "tar": executable file not found in $PATH: unknown' },
    ],
    ['NonZeroExitCode without a readable code', '{"status":"Failure","reason":"NonZeroExitCode","message":"exit code unknown"}', { failure: 'exit code unknown' }],
    ['plain text, as before v4', 'container not found ("web")\n', { failure: 'container not found ("web")' }],
  ])('%s', (_name, text, expected) => {
    expect(exitFromStatus(text)).toEqual(expected);
  });
});

describe('PortForwardFrames', () => {
  it("drops the port prefix of each channel's first message, then passes data and errors through", () => {
    const frames = new PortForwardFrames(8080);
    expect(frames.read(Buffer.concat([Buffer.from([0]), port(8080)]))).toBeNull();
    expect(frames.read(Buffer.concat([Buffer.from([1]), port(8080)]))).toBeNull();
    expect(frames.read(Buffer.from([0, 0x48, 0x54]))).toEqual({ kind: 'data', data: Buffer.from('HT') });
    // Data that starts with what looks like a port is data once the prefix was seen.
    expect(frames.read(Buffer.concat([Buffer.from([0]), port(8080)]))).toEqual({ kind: 'data', data: port(8080) });
    expect(frames.read(Buffer.concat([Buffer.from([1]), Buffer.from('connection refused')]))).toEqual({ kind: 'error', data: Buffer.from('connection refused') });
  });

  it('takes data that came in the same message as the prefix', () => {
    const frames = new PortForwardFrames(80);
    expect(frames.read(Buffer.concat([Buffer.from([0]), port(80), Buffer.from('x')]))).toEqual({ kind: 'data', data: Buffer.from('x') });
  });

  it('refuses a prefix for another port, and ignores channels it does not know', () => {
    const frames = new PortForwardFrames(80);
    expect(() => frames.read(Buffer.concat([Buffer.from([0]), port(81)]))).toThrow('the server answered for port 81, not 80');
    expect(frames.read(Buffer.from([2, 1, 2, 3]))).toBeNull();
  });

  it('sends local bytes on channel 0 with no prefix', () => {
    expect(new PortForwardFrames(80).write(Buffer.from('GET')).map((f) => [...f])).toEqual([[0, 0x47, 0x45, 0x54]]);
  });
});
