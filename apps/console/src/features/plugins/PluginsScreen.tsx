import { Link } from 'react-router';
import { errorMessage } from '../../api/errors';
import { Badge, Card, EmptyState, ErrorState, PageHeader, Spinner } from '../../components/ui';
import { formatDateTime } from '../../lib/format';
import { usePlugins } from './api';
import { healthOf } from './health';

export function PluginsScreen() {
  const plugins = usePlugins();
  return (
    <>
      <PageHeader title="Plugins" description="Connect the systems that tell Optline who opted in and what happened." />
      {plugins.isPending ? (
        <Spinner label="Loading plugins…" />
      ) : plugins.isError ? (
        <ErrorState message={errorMessage(plugins.error)} onRetry={() => void plugins.refetch()} />
      ) : plugins.data.data.length === 0 ? (
        <EmptyState title="No plugins are available in this hub" />
      ) : (
        <div className="grid">
          {plugins.data.data.map((plugin) => {
            const health = healthOf(plugin);
            return (
              <Card key={plugin.id} title={<Link to={`/plugins/${plugin.id}`}>{plugin.name}</Link>} actions={<Badge tone={health.tone}>{health.label}</Badge>}>
                <p>{plugin.description}</p>
                {plugin.installation ? (
                  <p className="muted">
                    Last event {formatDateTime(plugin.installation.status.lastEventAt)}
                    {plugin.installation.status.lastError ? ` · last error: ${plugin.installation.status.lastError.message}` : ''}
                  </p>
                ) : (
                  <p className="muted">Not installed.</p>
                )}
              </Card>
            );
          })}
        </div>
      )}
    </>
  );
}
