import { useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { Link, useBlocker, useLocation, useNavigate, useParams } from 'react-router';
import { ApiError, errorMessage } from '../../api/errors';
import { Badge, Button, ErrorState, Notice, PageHeader, Spinner } from '../../components/ui';
import { useCan, useMe } from '../auth/session';
import { useCreateFlow, useFlow, useLifecycle, useSaveFlow, validateFlow, type Flow, type Simulation } from './api';
import { toCanvas, type Issue } from './canvas';
import { Diagram } from './Diagram';
import { DocumentPanel } from './DocumentPanel';
import { FlowPanel } from './FlowPanel';
import type { FlowDefinition } from './graph';
import { historyReducer, startHistory, type Command } from './history';
import { addStep, blankStep, connect, disconnect, newStepId, PALETTE, removeStep, updateFlow, updateStep, type PaletteItem } from './operations';
import { FLOW_UI } from './selectors';
import { SimulatorPanel } from './SimulatorPanel';
import { StepPanel } from './StepPanel';

export const EMPTY_FLOW: FlowDefinition = { name: 'New flow', messageType: 'marketing', trigger: { events: [] }, reentry: { mode: 'never' }, steps: [] };

/** `/flows/new`, `/flows/:id` and `/flows/:id/steps/:stepId`: the builder. */
export function FlowBuilderScreen() {
  const { id } = useParams();
  const flow = useFlow(id ?? '', undefined);
  if (!id || id === 'new') return <Builder key="new" initial={EMPTY_FLOW} />;
  if (flow.isPending) return <Spinner label="Loading the flow…" />;
  if (flow.isError) return <ErrorState message={errorMessage(flow.error)} onRetry={() => void flow.refetch()} />;
  return <Builder key={id} flow={flow.data} initial={flow.data.definition!} />;
}

/** The hub's validation answer, as issues to pin on the diagram. */
function issuesOf(error: unknown): Issue[] {
  if (!(error instanceof ApiError)) return [];
  if (error.details.length === 0) return [{ field: '', message: error.message }];
  return error.details.map((d) => ({ field: d.field ?? '', step: (d as { step?: string }).step, message: d.message ?? error.message }));
}

function Builder({ flow, initial }: { flow?: Flow; initial: FlowDefinition }) {
  // The selected step is in the URL (`…/steps/:stepId`, a child route with no element of its
  // own), so the builder stays mounted, with its undo history, while the selection changes.
  const stepId = /\/steps\/([^/]+)$/.exec(useLocation().pathname)?.[1];
  const navigate = useNavigate();
  const me = useMe();
  const canWrite = useCan('flows:write');
  const [layoutKey, setLayoutKey] = useState(0);
  const base = flow ? `/flows/${flow.id}` : '/flows/new';
  const [history, dispatch] = useReducer(historyReducer, initial, startHistory);
  const definition = history.present;
  const [saved, setSaved] = useState(initial);
  const [issues, setIssues] = useState<Issue[]>([]);
  const [simulation, setSimulation] = useState<Simulation | null>(null);
  const [side, setSide] = useState<'edit' | 'document' | 'simulate'>('edit');
  const leaving = useRef(false);
  const create = useCreateFlow();
  const save = useSaveFlow(flow?.id ?? 'new');
  const lifecycle = useLifecycle(flow?.id ?? 'new');
  const dirty = JSON.stringify(definition) !== JSON.stringify(saved);

  const run = (command: Command) => {
    setSimulation(null);
    dispatch({ type: 'do', command });
  };

  // Live validation: the hub's own checks (fields, graph, variables, compliance lint), pinned to the nodes.
  useEffect(() => {
    let stale = false;
    const timer = setTimeout(() => {
      validateFlow(definition).then(
        () => !stale && setIssues([]),
        (error: unknown) => !stale && error instanceof ApiError && (error.status === 400 || error.status === 422) && setIssues(issuesOf(error)),
      );
    }, 400);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [definition]);

  const blocker = useBlocker(({ nextLocation }) => !leaving.current && (dirty || save.isPending || create.isPending) && nextLocation.pathname !== base && !nextLocation.pathname.startsWith(`${base}/steps/`));
  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  const canvas = useMemo(
    () => toCanvas(definition, { issues, path: simulation ? simulation.timeline.flatMap((t) => (t.stepId ? [t.stepId] : [])).filter((s, i, all) => all.indexOf(s) === i) : undefined }),
    [definition, issues, simulation],
  );
  const selectedStep = definition.steps.find((s) => s.id === stepId);
  const issuesFor = (id: string) => canvas.nodes.find((n) => n.id === id)?.data.issues ?? [];

  const select = (id: string | null) => navigate(id ? `${base}/steps/${id}` : base, { replace: true });

  const persist = async (): Promise<Flow | undefined> => {
    try {
      if (!flow) {
        const created = await create.mutateAsync(definition);
        leaving.current = true;
        navigate(`/flows/${created.id}`, { replace: true });
        return created;
      }
      if (!dirty) return flow;
      const answer = await save.mutateAsync(definition);
      setSaved(definition);
      setIssues([]);
      return answer;
    } catch (error) {
      setIssues(issuesOf(error));
      throw error;
    }
  };

  const saveError = create.error ?? save.error;
  const status = create.isPending || save.isPending ? 'Saving…' : saveError ? `Not saved: ${errorMessage(saveError)}` : dirty ? 'Unsaved changes' : flow ? `Saved as version ${flow.latestVersion}` : 'Not saved yet';

  const addFromPalette = (item: string) => {
    if (!PALETTE.some((p) => p.item === item)) return;
    const id = newStepId(definition, item as PaletteItem);
    run({ label: `Add ${item}`, apply: (d) => addStep(d, blankStep(item as PaletteItem, id)) });
    select(id);
  };

  return (
    <>
      <PageHeader
        title={definition.name || 'Flow'}
        description={
          <>
            <Link to="/flows">Flows</Link>
            {flow && (
              <>
                {' · '}
                <Badge tone={flow.status === 'active' ? 'success' : 'neutral'}>{flow.status}</Badge> active version {flow.activeVersion ?? '—'}, latest {flow.latestVersion}
                {flow.hasDraftChanges ? ' (draft changes waiting for activate)' : ''} · <Link to={`/flows/${flow.id}/runs`}>Runs ({flow.liveRuns ?? 0} live)</Link> · <Link to={`/flows/${flow.id}/report`}>Report</Link>
              </>
            )}
          </>
        }
      />
      <div className="flow-builder__toolbar" role="toolbar" aria-label="Builder">
        <Button onClick={() => dispatch({ type: 'undo' })} disabled={!history.past.length} title={history.past.at(-1)?.label}>
          {FLOW_UI.undo}
        </Button>
        <Button onClick={() => dispatch({ type: 'redo' })} disabled={!history.future.length} title={history.future[0]?.label}>
          {FLOW_UI.redo}
        </Button>
        <Button onClick={() => setLayoutKey((k) => k + 1)}>{FLOW_UI.autoLayout}</Button>
        <Button variant={side === 'document' ? 'primary' : 'secondary'} onClick={() => setSide(side === 'document' ? 'edit' : 'document')}>
          {FLOW_UI.document}
        </Button>
        {flow && (
          <Button variant={side === 'simulate' ? 'primary' : 'secondary'} onClick={() => setSide(side === 'simulate' ? 'edit' : 'simulate')}>
            {FLOW_UI.simulate}
          </Button>
        )}
        {canWrite && (
          <Button variant="primary" busy={create.isPending || save.isPending} disabled={flow !== undefined && !dirty} onClick={() => void persist().catch(() => undefined)}>
            {FLOW_UI.save}
          </Button>
        )}
        {canWrite && flow && (flow.status !== 'active' || flow.hasDraftChanges || dirty) && (
          <Button
            variant="primary"
            busy={lifecycle.isPending}
            disabled={issues.length > 0}
            onClick={() => void persist().then(() => lifecycle.mutateAsync('activate')).catch((e: unknown) => setIssues(issuesOf(e)))}
          >
            {FLOW_UI.activate}
          </Button>
        )}
        {canWrite && flow?.status === 'active' && !flow.hasDraftChanges && !dirty && <Button onClick={() => lifecycle.mutate('pause')}>Pause</Button>}
        <span className={`flow-builder__status${saveError ? ' flow-builder__status--error' : ''}`} role="status">
          {status}
          {issues.length ? ` · ${issues.length} problem${issues.length === 1 ? '' : 's'}` : ' · valid'}
        </span>
      </div>
      {lifecycle.isError && <Notice tone="danger">{errorMessage(lifecycle.error)}</Notice>}
      {blocker.state === 'blocked' && (
        <Notice tone="warning">
          This flow has unsaved changes. <Button onClick={() => blocker.reset()}>Stay</Button> <Button variant="danger" onClick={() => blocker.proceed()}>Leave without saving</Button>
        </Notice>
      )}
      <div className="flow-builder">
        <nav className="flow-palette" aria-label={FLOW_UI.palette}>
          <h2>Add a step</h2>
          {PALETTE.map((p) => (
            <button
              key={p.item}
              type="button"
              className="flow-palette__item"
              data-testid={FLOW_UI.paletteItem(p.item)}
              draggable={canWrite}
              disabled={!canWrite}
              onDragStart={(e) => {
                e.dataTransfer.setData('application/x-optline-step', p.item);
                e.dataTransfer.effectAllowed = 'move';
              }}
              onClick={() => addFromPalette(p.item)}
            >
              {p.label}
              {p.hint && <small>{p.hint}</small>}
            </button>
          ))}
        </nav>
        <Diagram
          key={layoutKey}
          canvas={canvas}
          selected={stepId}
          editable={canWrite}
          onSelect={select}
          onDrop={addFromPalette}
          onConnect={(source, field, target) => run({ label: `Connect ${source} to ${target}`, apply: (d) => connect(d, source, field, target) })}
          onDisconnect={(source, field) => run({ label: `Disconnect ${source}`, apply: (d) => disconnect(d, source, field) })}
          onRemove={(id) => {
            run({ label: `Delete ${id}`, apply: (d) => removeStep(d, id) });
            if (id === stepId) select(null);
          }}
        />
        {side === 'document' ? (
          <DocumentPanel flow={flow} definition={definition} onImport={(next) => run({ label: 'Import document', apply: () => next })} />
        ) : side === 'simulate' && flow ? (
          <SimulatorPanel flowId={flow.id} definition={definition} beforeRun={async () => void (await persist())} onResult={setSimulation} />
        ) : selectedStep ? (
          <StepPanel
            key={selectedStep.id}
            step={selectedStep}
            definition={definition}
            issues={issuesFor(selectedStep.id)}
            brandName={me.data?.workspace.brandName ?? ''}
            onChange={(patch, label) => {
              run({ label, coalesce: `${selectedStep.id}:${Object.keys(patch).join(',')}`, apply: (d) => updateStep(d, selectedStep.id, patch) });
              if (typeof patch.id === 'string') select(patch.id);
            }}
            onRemove={() => {
              run({ label: `Delete ${selectedStep.id}`, apply: (d) => removeStep(d, selectedStep.id) });
              select(null);
            }}
            onClose={() => select(null)}
          />
        ) : (
          <FlowPanel definition={definition} issues={issuesFor('@trigger')} onChange={(patch, label) => run({ label, coalesce: `flow:${Object.keys(patch).join(',')}`, apply: (d) => updateFlow(d, patch) })} />
        )}
      </div>
    </>
  );
}
