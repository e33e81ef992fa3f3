import type { Plugin } from '../../api/types';
import type { Tone } from '../../lib/format';

/** One word for a plugin's state, shared by the catalogue and the home page. */
export function healthOf(plugin: Plugin): { label: string; tone: Tone; attention: boolean } {
  const installation = plugin.installation;
  if (!installation) return { label: 'Not installed', tone: 'neutral', attention: false };
  if (!installation.enabled) return { label: 'Disabled', tone: 'neutral', attention: false };
  const failed = (installation.status.counts.events?.failed ?? 0) + (installation.status.counts.writebacks?.failed ?? 0);
  if (installation.status.lastError || failed > 0) return { label: 'Needs attention', tone: 'danger', attention: true };
  return { label: 'Enabled', tone: 'success', attention: false };
}
