import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { errorMessage } from '../../api/errors';
import type { Plugin } from '../../api/types';
import { Badge, Button, Card, ConfirmButton, CopyField, KeyValues, Notice, type BadgeTone } from '../../components/ui';
import { formatDateTime } from '../../lib/format';
import { useCan } from '../auth/session';
import { useConnection, useConnectOAuth, useDisconnectOAuth, useGoogleCalendars, useInstall, type OAuthConnection, type OAuthPluginId } from './api';

const VENDOR: Record<OAuthPluginId, { name: string; needs: string }> = {
  hubspot: { name: 'HubSpot', needs: 'the app’s client id and client secret below' },
  'google-calendar': { name: 'Google', needs: 'auth method “oauth” with the OAuth client id and secret below' },
};

const HEALTH: Record<OAuthConnection['tokenHealth'], { label: string; tone: BadgeTone }> = {
  ok: { label: 'Token OK', tone: 'success' },
  refresh_failed: { label: 'Refresh refused', tone: 'danger' },
  manual: { label: 'Pasted token', tone: 'info' },
  not_connected: { label: 'Not connected', tone: 'neutral' },
};

/**
 * "Connect" for plugins whose vendor grants access by OAuth (docs/hubspot.md, docs/google-calendar.md):
 * the browser goes to the vendor's consent page and comes back here with `connected=1` or
 * `connectError`. Shows who is connected, the scopes, the token's health, and Disconnect.
 */
export function OAuthConnectCard({ plugin, pluginId }: { plugin: Plugin; pluginId: OAuthPluginId }) {
  const installation = plugin.installation!;
  const vendor = VENDOR[pluginId];
  const canWrite = useCan('plugins:write');
  const [params, setParams] = useSearchParams();
  const connection = useConnection(pluginId, installation.id);
  const connect = useConnectOAuth(pluginId, installation.id);
  const disconnect = useDisconnectOAuth(pluginId, installation.id);
  const c = connection.data;
  const oauth = c?.method === 'oauth';
  return (
    <Card
      title={`Connect to ${vendor.name}`}
      actions={
        canWrite && (
          <Button
            variant={oauth ? 'secondary' : 'primary'}
            busy={connect.isPending}
            onClick={() => connect.mutate(undefined, { onSuccess: ({ authorizeUrl }) => window.location.assign(authorizeUrl) })}
          >
            {oauth ? `Reconnect to ${vendor.name}` : `Connect to ${vendor.name}`}
          </Button>
        )
      }
    >
      {params.get('connected') === '1' && <Notice tone="success">Connected to {vendor.name}.</Notice>}
      {params.get('connectError') && (
        <Notice tone="danger">
          {vendor.name} was not connected ({params.get('connectError')}): {params.get('message') ?? 'start again'}
        </Notice>
      )}
      {connect.isError && <Notice tone="danger">{errorMessage(connect.error)}</Notice>}
      {connection.isError && <Notice tone="danger">{errorMessage(connection.error)}</Notice>}
      {c && (
        <KeyValues
          items={[
            ['Account', c.account ?? (c.connected ? 'connected' : 'not connected')],
            ['How', c.method === 'oauth' ? `Approved at ${vendor.name} (OAuth)` : c.method === 'manual' ? 'Credentials entered by hand' : 'Not connected'],
            ['Token health', <Badge key="health" tone={HEALTH[c.tokenHealth].tone}>{HEALTH[c.tokenHealth].label}</Badge>],
            ['Scopes', c.scopes.length > 0 ? c.scopes.join(', ') : '—'],
            ['Connected', formatDateTime(c.connectedAt)],
            ['Access token expires', formatDateTime(c.accessTokenExpiresAt)],
            ['Last refresh', formatDateTime(c.lastRefreshAt)],
          ]}
        />
      )}
      {c?.problem && <Notice tone="danger">{vendor.name} said: {c.problem}</Notice>}
      <p className="muted">
        Approve access at {vendor.name} instead of pasting a token; needs {vendor.needs}. The hub keeps the tokens sealed, refreshes them before they expire, and enables the plugin. Private apps can still paste a token in the configuration.
      </p>
      {canWrite && c?.connected && c.method === 'oauth' && (
        <>
          <ConfirmButton
            label={`Disconnect from ${vendor.name}`}
            confirmLabel="Yes, disconnect"
            question={`The hub revokes its access at ${vendor.name}${pluginId === 'google-calendar' ? ', stops watching the calendars' : ''} and disables the plugin.`}
            busy={disconnect.isPending}
            onConfirm={() => {
              // The return trip's "Connected" notice goes first: the mutation's own success refetches
              // the connection, which would otherwise show "Not connected" under it for a moment.
              setParams({}, { replace: true });
              disconnect.mutate(undefined, { onSuccess: () => void connection.refetch() });
            }}
          />
          {disconnect.isError && <Notice tone="danger">{errorMessage(disconnect.error)}</Notice>}
        </>
      )}
      {c?.webhooks && <HubspotWebhooks plugin={plugin} webhooks={c.webhooks} />}
      {pluginId === 'google-calendar' && c?.connected && <CalendarChoice plugin={plugin} />}
    </Card>
  );
}

/** HubSpot keeps webhooks per app: set by the hub through the API, or by the admin as listed. */
function HubspotWebhooks({ plugin, webhooks }: { plugin: Plugin; webhooks: NonNullable<OAuthConnection['webhooks']> }) {
  const lastDelivery = plugin.installation!.status.lastEventAt;
  return (
    <div className="oauth-webhooks">
      <h3>Webhooks</h3>
      {webhooks.managed ? (
        <p>The hub set the app’s target URL and subscriptions at HubSpot (last checked {formatDateTime(webhooks.syncedAt)}).</p>
      ) : (
        <p>HubSpot does not let the hub set a private app’s webhooks (or no developer API key is configured). In HubSpot, open the app → Webhooks, set the target URL and add these subscriptions:</p>
      )}
      <CopyField label="Target URL" value={webhooks.targetUrl} />
      <ul>
        {webhooks.subscriptions.map((s) => (
          <li key={`${s.eventType}:${s.propertyName ?? ''}`}>
            <code>{s.eventType}</code>
            {s.propertyName && <> on <code>{s.propertyName}</code></>}
          </li>
        ))}
      </ul>
      <p>
        Last delivery: {lastDelivery ? formatDateTime(lastDelivery) : <Badge tone="warning">none received yet</Badge>}
      </p>
    </div>
  );
}

/** The connected account's calendars, to choose which are watched (calendarIds). */
function CalendarChoice({ plugin }: { plugin: Plugin }) {
  const installation = plugin.installation!;
  const canWrite = useCan('plugins:write');
  const calendars = useGoogleCalendars(installation.id, true);
  const install = useInstall(plugin.id);
  const [chosen, setChosen] = useState<string[] | null>(null);
  if (calendars.isPending) return <p className="muted">Loading the account’s calendars…</p>;
  if (calendars.isError) return <Notice tone="danger">{errorMessage(calendars.error)}</Notice>;
  const list = calendars.data.data;
  const selected = chosen ?? list.filter((c) => c.watched).map((c) => c.id);
  return (
    <fieldset className="calendar-choice" disabled={!canWrite}>
      <legend>Calendars to watch</legend>
      {list.map((c) => (
        <label key={c.id} className="checkbox">
          <input type="checkbox" checked={selected.includes(c.id)} onChange={(e) => setChosen(e.target.checked ? [...selected, c.id] : selected.filter((id) => id !== c.id))} />
          {c.summary} {c.primary && <Badge tone="info">primary</Badge>} <span className="muted">{c.id}</span>
        </label>
      ))}
      <div className="form-actions">
        <Button
          variant="primary"
          disabled={selected.length === 0}
          busy={install.isPending}
          onClick={() => install.mutate({ ...installation.config, calendarIds: selected }, { onSuccess: () => { setChosen(null); void calendars.refetch(); } })}
        >
          Watch these calendars
        </Button>
        {install.isSuccess && chosen === null && <span role="status" className="badge badge--success">Saved.</span>}
      </div>
      {install.isError && <Notice tone="danger">{errorMessage(install.error)}</Notice>}
    </fieldset>
  );
}
