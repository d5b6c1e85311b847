import type { Healthcheck, ServiceModel } from '../model/compose-model.js';
import type { KomposeSettings, ProbeSettings } from './kompose-labels.js';

type Probe = Record<string, unknown>;

/**
 * The container's probes. The compose healthcheck is a readiness probe: compose marks
 * an unhealthy container and holds back what depends on it, it does not restart it.
 * kompose's readiness.* labels replace or retime that probe (or turn it off); its
 * liveness.* labels add an HTTP or TCP liveness probe, timed by the healthcheck as
 * kompose times it.
 */
export function probesOf(
  service: ServiceModel,
  settings: KomposeSettings,
  warn: (key: string, message: string) => void,
): { readinessProbe?: Probe; livenessProbe?: Probe } {
  const check = service.healthcheck;
  const readiness = settings.readiness;
  const readinessProbe = readiness.disable ? undefined : readinessOf(check, readiness, warn);
  const livenessHandler = handlerOf(settings.liveness);
  return {
    ...(readinessProbe ? { readinessProbe } : {}),
    ...(livenessHandler ? { livenessProbe: { ...livenessHandler, ...timingsOf(check, {}) } } : {}),
  };
}

function readinessOf(check: Healthcheck | undefined, labels: ProbeSettings, warn: (key: string, message: string) => void): Probe | undefined {
  const fromLabels = handlerOf(labels);
  if (fromLabels) return { ...fromLabels, ...timingsOf(check, labels) };
  if (!check || check.disable) {
    if (Object.keys(timingsOf(undefined, labels)).length > 0) {
      warn('labels', 'kompose.service.healthcheck.readiness timings without a test, http_get_port or tcp_port, and no healthcheck test: no readiness probe');
    }
    return undefined;
  }
  if (!check.test || check.test.length < 2) {
    warn('healthcheck', "healthcheck without a test uses the image's HEALTHCHECK, which Kubernetes ignores: no probe");
    return undefined;
  }
  const [form, ...rest] = check.test;
  const command = form === 'CMD-SHELL' ? ['/bin/sh', '-c', rest.join(' ')] : rest;
  return { exec: { command }, ...timingsOf(check, labels) };
}

function handlerOf(labels: ProbeSettings): Probe | undefined {
  if (labels.command) return { exec: { command: labels.command } };
  if (labels.httpPort !== undefined) return { httpGet: { path: labels.httpPath ?? '/', port: labels.httpPort } };
  if (labels.tcpPort !== undefined) return { tcpSocket: { port: labels.tcpPort } };
  return undefined;
}

/** The healthcheck's timings, each overridden by its label when one is given. */
function timingsOf(check: Healthcheck | undefined, labels: ProbeSettings): Probe {
  const periodSeconds = labels.periodSeconds ?? check?.intervalSeconds;
  const timeoutSeconds = labels.timeoutSeconds ?? check?.timeoutSeconds;
  const failureThreshold = labels.failureThreshold ?? check?.retries;
  const initialDelaySeconds = labels.initialDelaySeconds ?? check?.startPeriodSeconds;
  return {
    ...(periodSeconds !== undefined ? { periodSeconds } : {}),
    ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
    ...(failureThreshold !== undefined ? { failureThreshold } : {}),
    ...(initialDelaySeconds !== undefined ? { initialDelaySeconds } : {}),
  };
}
