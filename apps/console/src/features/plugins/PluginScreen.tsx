import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { ApiError, errorMessage } from '../../api/errors';
import type { Plugin } from '../../api/types';
import { Badge, Button, Card, ConfirmButton, CopyField, ErrorState, KeyValues, Notice, PageHeader, Spinner } from '../../components/ui';
import { formatDateTime } from '../../lib/format';
import { useCan } from '../auth/session';
import { useConnectShopify, useForms, useInstall, usePlugin, useToggle, useUninstall } from './api';
import { EventLog } from './EventLog';
import { OAuthConnectCard } from './OAuthConnectCard';
import { healthOf } from './health';
import { SchemaProperties } from './SchemaForm';
import { initialValue, SECRET_MASK, toConfig, type FormValue } from './schemaForm';

export function PluginScreen() {
  const { pluginId = '' } = useParams();
  const plugin = usePlugin(pluginId);
  if (plugin.isPending) return <Spinner label="Loading plugin…" />;
  if (plugin.isError) return <ErrorState message={errorMessage(plugin.error)} onRetry={() => void plugin.refetch()} />;
  const p = plugin.data;
  const health = healthOf(p);
  return (
    <>
      <PageHeader title={p.name} description={<><Link to="/plugins">← Plugins</Link> · {p.description}</>} actions={<Badge tone={health.tone}>{health.label}</Badge>} />
      {p.installation && <StatusCard plugin={p} />}
      {p.id === 'web-forms' && p.installation?.enabled && <FormsCard />}
      {p.id === 'shopify' && p.installation && <ShopifyConnectCard plugin={p} />}
      {(p.id === 'hubspot' || p.id === 'google-calendar') && p.installation && <OAuthConnectCard plugin={p} pluginId={p.id} />}
      {p.installation && (
        <Card title="Event log">
          <EventLog pluginId={p.id} />
        </Card>
      )}
      <ConfigCard plugin={p} />
      {p.installation && <UninstallCard plugin={p} />}
    </>
  );
}

function StatusCard({ plugin }: { plugin: Plugin }) {
  const installation = plugin.installation!;
  const canWrite = useCan('plugins:write');
  const toggle = useToggle(plugin.id);
  const { counts } = installation.status;
  return (
    <Card
      title="Status"
      actions={
        canWrite && (
          <Button variant={installation.enabled ? 'secondary' : 'primary'} busy={toggle.isPending} onClick={() => toggle.mutate(!installation.enabled)}>
            {installation.enabled ? 'Disable' : 'Enable'}
          </Button>
        )
      }
    >
      {toggle.isError && <Notice tone="danger">{errorMessage(toggle.error)}</Notice>}
      {installation.status.lastError && (
        <Notice tone="danger">
          Last error ({installation.status.lastError.source}, {formatDateTime(installation.status.lastError.at)}): {installation.status.lastError.message}
        </Notice>
      )}
      {installation.webhookUrl ? (
        <CopyField label="Webhook URL" value={installation.webhookUrl} />
      ) : (
        <p className="muted">This plugin receives no webhooks{plugin.id === 'web-forms' ? ': people submit its hosted forms below' : ''}.</p>
      )}
      <KeyValues
        items={[
          ['Enabled since', installation.enabled ? formatDateTime(installation.status.enabledAt) : 'disabled'],
          ['Last event', formatDateTime(installation.status.lastEventAt)],
          ...(installation.webhookUrl ? [['Webhooks received', `${counts.received} (${counts.duplicates} duplicates, ${counts.rejected} rejected)`] as [string, string]] : []),
          ['Events', Object.entries(counts.events ?? {}).map(([k, v]) => `${v} ${k}`).join(', ')],
          ...(plugin.writesConsentBack && counts.writebacks ? [['Consent write-backs', Object.entries(counts.writebacks).map(([k, v]) => `${v} ${k}`).join(', ')] as [string, string]] : []),
        ]}
      />
    </Card>
  );
}

/** Shopify's own install: the admin approves at the shop instead of pasting a token (docs/shopify.md). */
function ShopifyConnectCard({ plugin }: { plugin: Plugin }) {
  const installation = plugin.installation!;
  const canWrite = useCan('plugins:write');
  const connect = useConnectShopify(installation.id);
  const [params] = useSearchParams();
  if (!canWrite) return null;
  const connected = installation.enabled && installation.config.accessToken === SECRET_MASK;
  return (
    <Card
      title="Connect to Shopify"
      actions={
        <Button
          variant={connected ? 'secondary' : 'primary'}
          busy={connect.isPending}
          onClick={() => connect.mutate(undefined, { onSuccess: ({ authorizeUrl }) => window.location.assign(authorizeUrl) })}
        >
          {connected ? 'Reconnect to Shopify' : 'Connect to Shopify'}
        </Button>
      }
    >
      {params.get('connected') === '1' && <Notice tone="success">Connected to Shopify.</Notice>}
      {params.get('connectError') && <Notice tone="danger">Shopify was not connected ({params.get('connectError')}): {params.get('message') ?? 'start again'}</Notice>}
      {connect.isError && <Notice tone="danger">{errorMessage(connect.error)}</Notice>}
      <p className="muted">
        Approve the app at your shop instead of pasting an access token. Needs the app’s client id and client secret below. After you approve, the hub stores the token, enables the plugin, registers its webhooks and Shopify sends you back here.
      </p>
    </Card>
  );
}

function FormsCard() {
  const forms = useForms(true);
  if (!forms.data || forms.data.data.length === 0) return null;
  return (
    <Card title="Hosted forms">
      {forms.data.data.map((form) => (
        <div key={form.formId}>
          <p>
            <strong>{form.title}</strong> — <a href={form.pageUrl} target="_blank" rel="noreferrer">open the form</a>
          </p>
          <CopyField label={`Embed snippet for ${form.title}`} value={form.embedSnippet} />
        </div>
      ))}
    </Card>
  );
}

/** Install or reconfigure: the form is drawn from the plugin's config schema; secrets are write-only. */
function ConfigCard({ plugin }: { plugin: Plugin }) {
  const canWrite = useCan('plugins:write');
  const install = useInstall(plugin.id);
  const [value, setValue] = useState<FormValue>(() => initialValue(plugin.configSchema, plugin.installation?.config));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const masked = (path: string) => {
    let node: unknown = { config: plugin.installation?.config };
    for (const part of path.split('.')) node = node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined;
    return node === SECRET_MASK;
  };
  return (
    <Card title={plugin.installation ? 'Configuration' : 'Install'}>
      {!canWrite && <Notice>Your role may view this plugin but not change it.</Notice>}
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          setErrors({});
          setFormError(null);
          install.mutate(toConfig(plugin.configSchema, value), {
            onSuccess: (next) => {
              setValue(initialValue(plugin.configSchema, next.installation?.config));
              setSaved(true);
            },
            onError: (error) => {
              if (error instanceof ApiError && error.details.some((d) => d.field)) {
                setErrors(Object.fromEntries(error.details.filter((d) => d.field).map((d) => [d.field!, d.message ?? error.message])));
                setFormError('Some fields need attention.');
              } else setFormError(errorMessage(error));
            },
          });
        }}
      >
        <fieldset disabled={!canWrite} style={{ border: 0, padding: 0, margin: 0 }}>
          <SchemaProperties schema={plugin.configSchema} path="config" value={value} onChange={(next) => { setSaved(false); setValue(next); }} errors={errors} secretSet={masked} />
          {Object.entries(errors)
            .filter(([field]) => !document.querySelector(`[data-field="${field}"]`) && !field.startsWith('config.'))
            .map(([field, message]) => (
              <p key={field} className="field__error">{field}: {message}</p>
            ))}
          <div className="form-actions">
            <Button type="submit" variant="primary" busy={install.isPending}>
              {plugin.installation ? 'Save configuration' : 'Install plugin'}
            </Button>
            {saved && <span role="status" className="badge badge--success">Saved.</span>}
            {formError && <span className="field__error" role="alert">{formError}</span>}
          </div>
        </fieldset>
      </form>
    </Card>
  );
}

function UninstallCard({ plugin }: { plugin: Plugin }) {
  const canWrite = useCan('plugins:write');
  const uninstall = useUninstall(plugin.id);
  if (!canWrite) return null;
  return (
    <Card title="Uninstall">
      <p className="muted">Disables the plugin and deletes its configuration and secrets. Its stored events and the contacts and consent they brought stay.</p>
      <ConfirmButton label={`Uninstall ${plugin.name}`} confirmLabel="Yes, uninstall" question="Its webhooks stop being accepted at once." busy={uninstall.isPending} onConfirm={() => uninstall.mutate()} />
      {uninstall.isError && <Notice tone="danger">{errorMessage(uninstall.error)}</Notice>}
    </Card>
  );
}
