import { useNavigate } from 'react-router';
import { errorMessage } from '../../api/errors';
import { Button, Card, ErrorState, KeyValues, Notice, PageHeader, Spinner } from '../../components/ui';
import { useCan } from '../auth/session';
import { useFromTemplate, useTemplates, type FlowTemplate } from './api';
import type { SendStep } from './graph';

/** `/flows/templates`: every built-in template with its brief, and "Use this template". */
export function TemplatesScreen() {
  const templates = useTemplates();
  const use = useFromTemplate();
  const navigate = useNavigate();
  const canWrite = useCan('flows:write');
  return (
    <>
      <PageHeader title="Flow templates" description="Each has a purpose, an audience, a trigger, a message and a success metric. Using one makes a draft you can change." />
      {use.isError && <Notice tone="danger">{errorMessage(use.error)}</Notice>}
      {templates.isPending ? (
        <Spinner label="Loading templates…" />
      ) : templates.isError ? (
        <ErrorState message={errorMessage(templates.error)} onRetry={() => void templates.refetch()} />
      ) : (
        <div className="grid">
          {templates.data.data.map((t) => (
            <TemplateCard
              key={t.key}
              template={t}
              busy={use.isPending && use.variables === t.key}
              canWrite={canWrite}
              onUse={() => use.mutate(t.key, { onSuccess: (flow) => navigate(`/flows/${flow.id}`) })}
            />
          ))}
        </div>
      )}
    </>
  );
}

interface Brief {
  purpose?: string;
  audience?: string;
  message?: string;
  successMetric?: string;
}

function TemplateCard({ template, busy, canWrite, onUse }: { template: FlowTemplate; busy: boolean; canWrite: boolean; onUse: () => void }) {
  const brief = ((template.definition as { brief?: Brief }).brief ?? {}) as Brief;
  const firstSend = template.definition.steps.find((s): s is SendStep => s.type === 'send');
  return (
    <Card title={template.title}>
      <KeyValues
        items={[
          ['Purpose', brief.purpose ?? template.summary],
          ['Audience', brief.audience ?? '—'],
          ['Trigger', template.triggerEvents.length ? template.triggerEvents.join(', ') : 'enrolled or invited'],
          ['Message', brief.message ?? firstSend?.template ?? '—'],
          ['Success metric', brief.successMetric ?? '—'],
        ]}
      />
      {canWrite && (
        <Button variant="primary" busy={busy} onClick={onUse} aria-label={`Use the ${template.title} template`}>
          Use this template
        </Button>
      )}
    </Card>
  );
}
