import { isQedError, type QedError } from '@qed/core';
import { describe, expect, it } from 'vitest';
import type { ContainerFacts, PortFacts, RegistryFacts } from './registry-facts.js';
import { resolveRegistryOptions } from './registry-options.js';
import { isRegistryImage, planRegistryDown, planRegistryUp } from './registry-plan.js';

const options = resolveRegistryOptions({});
const registry = (over: Partial<Extract<ContainerFacts, { exists: true }>> = {}): ContainerFacts => ({
  exists: true,
  id: 'abc123',
  image: 'registry:2',
  running: true,
  status: 'running',
  hostPort: 5000,
  ...over,
});
const facts = (
  container: ContainerFacts,
  port: PortFacts = { free: true },
  os: RegistryFacts['os'] = 'linux',
): RegistryFacts => ({
  container,
  port,
  os,
});

function errorOf(fn: () => unknown): QedError {
  try {
    fn();
  } catch (error) {
    if (isQedError(error)) return error;
    throw error;
  }
  throw new Error('expected a QedError');
}

describe('planRegistryUp', () => {
  it('runs the guide registry on 127.0.0.1 with a named volume when absent', () => {
    expect(planRegistryUp(facts({ exists: false }), options)).toEqual({
      action: 'run',
      name: 'registry',
      host: '127.0.0.1:5000',
      volume: 'registry-data',
      docker: [
        'run',
        '--detach',
        '--publish',
        '127.0.0.1:5000:5000',
        '--restart=always',
        '--volume',
        'registry-data:/var/lib/registry',
        '--name',
        'registry',
        'registry:2',
      ],
    });
  });

  it('does nothing for a running registry, even though it holds the port itself', () => {
    const plan = planRegistryUp(facts(registry(), { free: false, holder: null }), options);
    expect(plan).toMatchObject({ action: 'none', containerId: 'abc123', host: '127.0.0.1:5000' });
  });

  it('starts a stopped registry', () => {
    const plan = planRegistryUp(facts(registry({ running: false, status: 'exited' })), options);
    expect(plan).toEqual({
      action: 'start',
      name: 'registry',
      host: '127.0.0.1:5000',
      containerId: 'abc123',
      docker: ['start', 'registry'],
    });
  });

  it.each([
    ['registry:2'],
    ['docker.io/library/registry:2'],
    ['localhost/registry:2'],
    ['registry@sha256:abc'],
  ])('accepts %s as a registry image', (image) => {
    expect(isRegistryImage(image)).toBe(true);
  });

  it.each([['nginx:latest'], ['quay.io/someone/registry:2'], ['registry-ui:1'], ['']])(
    'does not take %s for a registry',
    (image) => {
      expect(isRegistryImage(image)).toBe(false);
    },
  );

  it('refuses a container of that name that is not a registry, naming it and the way out', () => {
    const error = errorOf(() => planRegistryUp(facts(registry({ image: 'nginx:latest' })), options));
    expect(error.code).toBe('REGISTRY_NAME_TAKEN');
    expect(error.message).toContain('registry');
    expect(error.message).toContain('nginx:latest');
    expect(error.hint).toContain('--name');
    expect(error.hint).toContain('docker rm -f registry');
  });

  it('names the process holding the port', () => {
    const error = errorOf(() =>
      planRegistryUp(
        facts({ exists: false }, { free: false, holder: { pid: 4242, command: 'python3' } }),
        options,
      ),
    );
    expect(error.code).toBe('REGISTRY_PORT_IN_USE');
    expect(error.message).toBe('port 5000 on 127.0.0.1 is already in use by python3 (pid 4242)');
    expect(error.hint).toBe('Use another port (--port 5001), or stop python3 (pid 4242).');
  });

  it('still explains a held port when lsof could not say who', () => {
    const error = errorOf(() =>
      planRegistryUp(facts({ exists: false }, { free: false, holder: null }), { ...options, port: 5010 }),
    );
    expect(error.message).toBe('port 5010 on 127.0.0.1 is already in use');
    expect(error.hint).toBe('Use another port (--port 5011).');
  });

  it('names the AirPlay Receiver for port 5000 on macOS', () => {
    const error = errorOf(() =>
      planRegistryUp(
        facts({ exists: false }, { free: false, holder: { pid: 512, command: 'ControlCe' } }, 'macos'),
        options,
      ),
    );
    expect(error.message).toContain('ControlCe (pid 512)');
    expect(error.hint).toContain('AirPlay Receiver');
    expect(error.hint).toContain('--port 5001');
    const unknown = errorOf(() =>
      planRegistryUp(facts({ exists: false }, { free: false, holder: null }, 'macos'), options),
    );
    expect(unknown.message).toContain('AirPlay Receiver');
  });

  it('does not blame AirPlay on Linux or on another port', () => {
    const linux = errorOf(() =>
      planRegistryUp(facts({ exists: false }, { free: false, holder: null }, 'linux'), options),
    );
    expect(linux.hint).not.toContain('AirPlay');
    const other = errorOf(() =>
      planRegistryUp(facts({ exists: false }, { free: false, holder: null }, 'macos'), {
        ...options,
        port: 5002,
      }),
    );
    expect(other.hint).not.toContain('AirPlay');
  });

  it('will not start a stopped registry over a port someone else took meanwhile', () => {
    const error = errorOf(() =>
      planRegistryUp(
        facts(registry({ running: false }), { free: false, holder: { pid: 7, command: 'nc' } }),
        options,
      ),
    );
    expect(error.code).toBe('REGISTRY_PORT_IN_USE');
  });

  it('uses a registry it did not start that already serves the port, changing nothing and naming its process', () => {
    const plan = planRegistryUp(
      facts({ exists: false }, { free: false, holder: { pid: 4242, command: 'registry' }, servesRegistry: true }),
      options,
    );
    expect(plan).toEqual({
      action: 'reuse',
      name: 'registry',
      host: '127.0.0.1:5000',
      holder: { pid: 4242, command: 'registry' },
      reason:
        '127.0.0.1:5000 is served by a registry that qed-bootstrap did not start (held by registry (pid 4242)): it is used as it is, and `registry down` never stops it',
    });
    expect(planRegistryUp(facts({ exists: false }, { free: false, holder: null, servesRegistry: true }), options)).toMatchObject({
      action: 'reuse',
      reason: expect.stringContaining('(lsof could not say which process holds the port)'),
    });
  });

  it('still refuses a port held by something that does not answer as a registry', () => {
    const error = errorOf(() =>
      planRegistryUp(facts({ exists: false }, { free: false, holder: { pid: 80, command: 'nginx' }, servesRegistry: false }), options),
    );
    expect(error.code).toBe('REGISTRY_PORT_IN_USE');
    expect(error.message).toBe('port 5000 on 127.0.0.1 is already in use by nginx (pid 80)');
  });

  it('does not take over the port from its own stopped container, even when a registry serves it', () => {
    const error = errorOf(() =>
      planRegistryUp(
        facts(registry({ running: false }), { free: false, holder: { pid: 9, command: 'registry' }, servesRegistry: true }),
        options,
      ),
    );
    expect(error.code).toBe('REGISTRY_PORT_IN_USE');
  });

  it('reports a registry of that name published on another port', () => {
    const error = errorOf(() => planRegistryUp(facts(registry({ hostPort: 5001 })), options));
    expect(error.code).toBe('REGISTRY_PORT_MISMATCH');
    expect(error.hint).toContain('--port 5001');
  });
});

describe('planRegistryDown', () => {
  it('has nothing to do without a container', () => {
    expect(planRegistryDown({ container: { exists: false } }, { ...options, name: 'registry' })).toMatchObject({
      action: 'none',
    });
  });

  it('never stops a registry it did not start: with no container of that name it only says whose it is', () => {
    const plan = planRegistryDown(
      { container: { exists: false }, port: { free: false, holder: { pid: 77, command: 'k3d-proxy' }, servesRegistry: true } },
      { ...options, name: 'registry', purge: true },
    );
    expect(plan).toEqual({
      action: 'none',
      name: 'registry',
      reason:
        'no container named registry; 127.0.0.1:5000 is served by a registry that qed-bootstrap did not start (held by k3d-proxy (pid 77)): it is left running, and `registry down` never stops it',
    });
  });

  it('removes the container and keeps the volume by default', () => {
    expect(planRegistryDown({ container: registry() }, { ...options, name: 'registry' })).toEqual({
      action: 'remove',
      name: 'registry',
      containerId: 'abc123',
      docker: ['rm', '--force', 'registry'],
      volume: null,
    });
  });

  it('removes the volume too with purge', () => {
    expect(planRegistryDown({ container: registry() }, { ...options, name: 'registry', purge: true })).toMatchObject({
      volume: 'registry-data',
    });
  });

  it('never removes a container that is not a registry', () => {
    expect(
      errorOf(() => planRegistryDown({ container: registry({ image: 'postgres:16' }) }, { ...options, name: 'registry' }))
        .code,
    ).toBe('REGISTRY_NAME_TAKEN');
  });
});

describe('resolveRegistryOptions', () => {
  it('rejects a port out of range and a name docker would refuse', () => {
    expect(errorOf(() => resolveRegistryOptions({ port: 70000 })).code).toBe('REGISTRY_BAD_OPTION');
    expect(errorOf(() => resolveRegistryOptions({ name: '-x' })).code).toBe('REGISTRY_BAD_OPTION');
  });
});
