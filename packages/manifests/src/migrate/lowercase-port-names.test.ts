import { describe, expect, it } from 'vitest';
import { planMigration } from './plan-migration.js';

const service = (ports: string) =>
  `kind: Service\napiVersion: v1\nmetadata:\n  name: qed-tomcat-service\nspec:\n  ports:\n${ports}`;

function migrate(text: string) {
  const plan = planMigration([{ path: 's.yml', text }], { dataRoot: '/home/me/qed', hostOs: 'linux' });
  return { object: plan.files[0]?.objects[0], changes: plan.changes.map((c) => [c.line, c.change]) };
}

describe('Service port names', () => {
  it('lowers the case of a name the API server refuses only for its case', () => {
    const { object, changes } = migrate(
      service('  - name: "HTTP"\n    port: 8080\n    targetPort: 80\n  - name: https\n    port: 443\n'),
    );
    expect(object?.spec).toEqual({
      ports: [
        { name: 'http', port: 8080, targetPort: 80 },
        { name: 'https', port: 443 },
      ],
    });
    expect(changes).toEqual([
      [
        7,
        'Service port name HTTP -> http (port names must be lower case; whatever names this port must say http)',
      ],
    ]);
  });

  it.each([
    ['a valid name', '  - name: web-1\n    port: 80\n'],
    [
      'a name that is wrong in another way (left for validation to report)',
      '  - name: my_port\n    port: 80\n',
    ],
    ['no name', '  - port: 80\n'],
  ])('leaves %s alone', (_, ports) => {
    expect(migrate(service(ports)).changes).toEqual([]);
  });
});
