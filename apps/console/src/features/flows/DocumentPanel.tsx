import { dump, load } from 'js-yaml';
import { useState } from 'react';
import { Button, Notice } from '../../components/ui';
import type { Flow } from './api';
import type { FlowDefinition } from './graph';
import { VersionDiff } from './VersionDiff';

/** The document behind the diagram, as JSON or YAML; pasting one in replaces the diagram (undoable). */
export function DocumentPanel({ flow, definition, onImport }: { flow?: Flow; definition: FlowDefinition; onImport: (definition: FlowDefinition) => void }) {
  const [format, setFormat] = useState<'yaml' | 'json'>('yaml');
  const shown = format === 'yaml' ? dump(definition, { lineWidth: -1, noRefs: true }) : JSON.stringify(definition, null, 2);
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const apply = () => {
    try {
      const parsed = load(draft ?? '') as FlowDefinition;
      if (!parsed || typeof parsed !== 'object' || !Array.isArray(parsed.steps)) throw new Error('A flow document needs steps (a list).');
      onImport(parsed);
      setDraft(null);
      setError(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  return (
    <section className="flow-side" aria-label="Document">
      <div className="flow-builder__toolbar">
        <h2>Document</h2>
        <Button variant={format === 'yaml' ? 'primary' : 'secondary'} onClick={() => setFormat('yaml')}>
          YAML
        </Button>
        <Button variant={format === 'json' ? 'primary' : 'secondary'} onClick={() => setFormat('json')}>
          JSON
        </Button>
      </div>
      <textarea className="flow-doc" aria-label="Flow document" value={draft ?? shown} onChange={(e) => setDraft(e.target.value)} spellCheck={false} />
      {error && <Notice tone="danger">{error}</Notice>}
      <div className="flow-builder__toolbar">
        <Button variant="primary" disabled={draft === null} onClick={apply}>
          Import this document
        </Button>
        {draft !== null && (
          <Button variant="ghost" onClick={() => setDraft(null)}>
            Discard
          </Button>
        )}
      </div>
      {flow && (
        <>
          <h2>Versions</h2>
          <VersionDiff flow={flow} />
        </>
      )}
    </section>
  );
}
