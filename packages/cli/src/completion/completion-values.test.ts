import { STEP_IDS } from '@qed/bootstrap';
import { BIND_FILE_MODES, BUILD_MODES, CONTROLLERS, RUN_ONCE_KINDS, SERVICE_GROUP_MODES, VOLUME_MODES } from '@qed/compose';
import { MANIFEST_PROFILES } from '@qed/manifests';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../program.js';
import { FIXED_VALUES } from './completion-values.js';

// completion-values.ts writes these lists out (their packages are slow to load): they must stay the packages' own.
describe('the fixed values completion offers are the ones the commands take', () => {
  it('profiles, steps, and convert\'s kinds, as their packages define them', () => {
    expect(FIXED_VALUES['']?.['--profile']).toEqual([...MANIFEST_PROFILES]);
    expect(FIXED_VALUES['manifests render']?.['--profile']).toEqual([...MANIFEST_PROFILES]);
    expect(FIXED_VALUES['']?.['--from']).toEqual([...STEP_IDS]);
    expect(FIXED_VALUES['']?.['--to']).toEqual([...STEP_IDS]);
    expect(FIXED_VALUES.convert?.['--volumes']).toEqual([...VOLUME_MODES]);
    expect(FIXED_VALUES.convert?.['--controller']).toEqual([...CONTROLLERS]);
    expect(FIXED_VALUES.convert?.['--controller']).toContain('replicationcontroller');
    expect(FIXED_VALUES.convert?.['--build']).toEqual([...BUILD_MODES]);
    expect(FIXED_VALUES.convert?.['--bind-files']).toEqual([...BIND_FILE_MODES]);
    expect(FIXED_VALUES.convert?.['--run-once']).toEqual([...RUN_ONCE_KINDS]);
    expect(FIXED_VALUES.convert?.['--service-group-mode']).toEqual([...SERVICE_GROUP_MODES]);
  });

  it('each command\'s actions, as its argument lists them', () => {
    const program = buildProgram();
    for (const name of ['cluster', 'registry', 'docker-config', 'images']) {
      const listed = program.commands.find((c) => c.name() === name)?.registeredArguments[0]?.description ?? '';
      const actions = FIXED_VALUES[name]?.action ?? [];
      expect(actions.length, name).toBeGreaterThan(1);
      expect(listed.match(/[a-z]+(?= \||$| \()/g)?.filter((word) => actions.includes(word) || /^(up|status|stop|delete|down|check|fix|revert|build|push)$/.test(word)), name).toEqual([...actions]);
    }
  });
});
