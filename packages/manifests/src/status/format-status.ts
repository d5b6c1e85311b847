import { formatTable } from '@qed/core';
import type { StackStatus } from './read-status.js';

type Paint = (style: 'green' | 'yellow' | 'red' | 'gray' | 'bold', text: string) => string;

/** The status as tables: workloads, services with how to reach them, claims. */
export function formatStatus(status: StackStatus, paint: Paint): string {
  if (status.workloads.length === 0 && status.services.length === 0 && status.claims.length === 0) {
    return `Nothing deployed by qed-bootstrap in namespace ${status.namespace}.`;
  }
  const sections: string[] = [];
  if (status.workloads.length > 0) {
    sections.push(
      formatTable(
        ['WORKLOAD', 'READY', 'IMAGES'],
        status.workloads.map((w) => [
          `${w.kind.toLowerCase()}/${w.name}`,
          w.ready ? paint('green', w.summary) : paint('yellow', w.summary),
          w.images.join(', '),
        ]),
      ),
    );
  }
  if (status.services.length > 0) {
    sections.push(
      formatTable(
        ['SERVICE', 'TYPE', 'PORTS', 'REACH IT WITH'],
        status.services.map((s) => [
          s.name,
          s.type,
          s.ports.map((p) => `${p.port}${p.targetPort !== undefined && p.targetPort !== p.port ? `->${p.targetPort}` : ''}`).join(','),
          s.reach.join('  |  '),
        ]),
      ),
    );
  }
  if (status.claims.length > 0) {
    sections.push(
      formatTable(
        ['CLAIM', 'PHASE', 'VOLUME'],
        status.claims.map((c) => [c.name, c.phase === 'Bound' ? paint('green', c.phase) : paint('yellow', c.phase), c.volume ?? '-']),
      ),
    );
  }
  return `namespace ${status.namespace}: ${status.ready ? paint('green', 'ready') : paint('yellow', 'not ready')}\n\n${sections.join('\n\n')}`;
}
