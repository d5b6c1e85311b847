import { DEFAULT_REGISTRY_PORT, findPortHolder, formatRegistryEndpoint, readRegistryEndpoint } from '@qed/core';
import { defineCheck } from '../define-check.js';

/** macOS Monterey and later run the AirPlay Receiver (ControlCenter) on these ports. */
const AIRPLAY_PORTS: ReadonlySet<number> = new Set([5000, 7000]);

/** Hosts that mean "this machine": only there can the port be probed. */
const LOCAL_HOSTS = /^(localhost|127(?:\.\d{1,3}){3}|::1|0\.0\.0\.0|::)$/i;


export const registryPortCheck = defineCheck('registry-port', 'Registry port', async (ctx, report) => {
  const configured = ctx.config.registry.host;
  const address = readRegistryEndpoint(configured);
  if (!address) {
    return report({
      status: 'warn',
      detail: `registry.host "${configured}" names no port`,
      hint: 'Set registry.host to HOST:PORT in qed.config.yaml, e.g. 127.0.0.1:5000.',
    });
  }
  const { host, port } = address;
  if (!LOCAL_HOSTS.test(host)) {
    return report({
      status: 'skip',
      detail: `registry.host ${configured} is not on this machine; nothing to probe`,
    });
  }
  const required = `port ${port} free, or held by an existing registry`;
  const nextPort = formatRegistryEndpoint({ host, port: port + 1 });
  // On macOS a listener on the wildcard address can hide from a probe of one
  // address (BSD sockets allow the more specific bind), so lsof is asked at the same
  // time. Linux refuses that bind, so there the probe is reliable and lsof is only
  // asked afterwards, to name what holds a port in use.
  const [probe, seenByLsof] = await Promise.all([
    ctx
      .probePort(host, port)
      .catch((error: unknown) => (error instanceof Error ? error : new Error(String(error)))),
    ctx.platform.os === 'macos' ? findPortHolder(ctx.runner, port) : Promise.resolve(null),
  ]);
  const holder =
    seenByLsof ??
    (probe === 'in-use' && (ctx.platform.os === 'linux' || ctx.platform.os === 'wsl') ? await findPortHolder(ctx.runner, port) : null);

  if (probe === 'in-use' || holder) {
    const by = holder ? ` by ${holder.command ?? 'a process'}${holder.pid ? ` (pid ${holder.pid})` : ''}` : '';
    const airplay =
      ctx.platform.os === 'macos' &&
      AIRPLAY_PORTS.has(port) &&
      (!holder || /^(ControlCe|AirPlay)/.test(holder.command ?? ''));
    if (airplay) {
      return report({
        status: 'warn',
        required,
        detail: `port ${port} is taken${by}, ${holder ? 'the' : 'most likely by the'} AirPlay Receiver`,
        hint: `Turn off the AirPlay Receiver (System Settings > General > AirDrop & Handoff > AirPlay Receiver), or set registry.host to another port in qed.config.yaml, e.g. ${nextPort}.`,
      });
    }
    return report({
      status: 'warn',
      required,
      detail: `port ${port} on ${host} is in use${by}`,
      hint: `If it is an existing registry, \`qed-bootstrap registry up\` will reuse it; otherwise stop what holds port ${port}, or set registry.host to another port in qed.config.yaml, e.g. ${nextPort}.`,
    });
  }
  if (probe === 'no-permission') {
    return report({
      status: 'warn',
      required,
      detail: `no permission to listen on port ${port} (ports below 1024 need root)`,
      hint: `Set registry.host to a port above 1024 in qed.config.yaml, e.g. ${formatRegistryEndpoint({ host, port: DEFAULT_REGISTRY_PORT })}.`,
    });
  }
  if (probe instanceof Error) {
    return report({
      status: 'warn',
      required,
      detail: `could not probe ${configured}: ${probe.message}`,
      hint: `Check that ${host} is an address of this machine, or set registry.host to 127.0.0.1:${port} in qed.config.yaml.`,
    });
  }
  return report({ status: 'ok', required, detail: `${configured} is free` });
});
