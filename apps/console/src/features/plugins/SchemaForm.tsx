import type { ConfigSchema } from '../../api/types';
import { Button, Field } from '../../components/ui';
import { emptyItem, labelOf, normalise, type FormValue } from './schemaForm';

export interface SchemaFieldProps {
  schema: ConfigSchema;
  name: string;
  /** Dotted path as the hub names fields in errors, e.g. `config.forms.0.title`. */
  path: string;
  value: FormValue;
  onChange: (value: FormValue) => void;
  required?: boolean;
  errors: Record<string, string>;
  /** Whether a secret is stored for this field (the hub answered the mask). */
  secretSet?: (path: string) => boolean;
}

/** One field of a plugin's config, drawn from its JSON-schema description. */
export function SchemaField({ schema: raw, name, path, value, onChange, required, errors, secretSet }: SchemaFieldProps) {
  const schema = normalise(raw);
  const label = `${labelOf(name)}${required ? '' : ' (optional)'}`;
  const error = errors[path];
  if (schema.type === 'object' && schema.properties) {
    return (
      <fieldset>
        <legend>{labelOf(name)}</legend>
        {schema.description && <p className="field__hint">{schema.description}</p>}
        <SchemaProperties schema={schema} path={path} value={value} onChange={onChange} errors={errors} secretSet={secretSet} />
      </fieldset>
    );
  }
  if (schema.type === 'array' && schema.items?.type === 'object') {
    const items = (value as FormValue[]) ?? [];
    return (
      <fieldset>
        <legend>{labelOf(name)}</legend>
        {schema.description && <p className="field__hint">{schema.description}</p>}
        {error && <p className="field__error" role="alert">{error}</p>}
        {items.map((item, index) => (
          <fieldset key={index}>
            <legend>
              {labelOf(name).replace(/s$/, '')} {index + 1}
            </legend>
            <SchemaProperties schema={schema.items!} path={`${path}.${index}`} value={item} onChange={(next) => onChange(items.map((it, i) => (i === index ? next : it)))} errors={errors} secretSet={secretSet} />
            <Button variant="ghost" onClick={() => onChange(items.filter((_, i) => i !== index))}>
              Remove {labelOf(name).replace(/s$/, '').toLowerCase()} {index + 1}
            </Button>
          </fieldset>
        ))}
        <Button onClick={() => onChange([...items, emptyItem(schema.items!)])}>Add {labelOf(name).replace(/s$/, '').toLowerCase()}</Button>
      </fieldset>
    );
  }
  if (schema.type === 'array') {
    const options = schema.items?.enum;
    return (
      <Field label={label} hint={[schema.description, options ? `One per line: ${options.join(', ')}.` : 'One per line.'].filter(Boolean).join('. ')} error={error}>
        <textarea className="textarea" value={String(value ?? '')} onChange={(e) => onChange(e.target.value)} rows={3} />
      </Field>
    );
  }
  if (schema.type === 'json') {
    return (
      <Field label={`${label} (JSON)`} hint={schema.description} error={error}>
        <textarea className="textarea mono" value={String(value ?? '')} onChange={(e) => onChange(e.target.value)} rows={4} />
      </Field>
    );
  }
  if (schema.type === 'boolean') {
    return (
      <div className="checkbox">
        <input id={path} type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} />
        <label htmlFor={path}>{labelOf(name)}</label>
        {error && <span className="field__error">{error}</span>}
      </div>
    );
  }
  if (schema.secret) {
    const stored = secretSet?.(path) ?? false;
    return (
      <Field label={label} hint={stored ? 'A value is set. Leave blank to keep it, or type a new one to replace it.' : 'Stored encrypted; never shown again.'} error={error}>
        <input className="input" type="password" autoComplete="new-password" value={String(value ?? '')} placeholder={stored ? 'Set — type to replace' : ''} onChange={(e) => onChange(e.target.value)} />
      </Field>
    );
  }
  if (schema.enum) {
    return (
      <Field label={label} hint={schema.description} error={error}>
        <select className="select" value={String(value ?? '')} onChange={(e) => onChange(e.target.value)}>
          <option value="">—</option>
          {schema.enum.map((option) => <option key={option} value={option}>{option}</option>)}
        </select>
      </Field>
    );
  }
  const numeric = schema.type === 'number' || schema.type === 'integer';
  return (
    <Field label={label} hint={schema.description ?? (schema.example !== undefined && typeof schema.example !== 'object' ? `e.g. ${String(schema.example)}` : undefined)} error={error}>
      <input className="input" type={numeric ? 'number' : 'text'} value={String(value ?? '')} onChange={(e) => onChange(e.target.value)} />
    </Field>
  );
}

export function SchemaProperties({ schema, path, value, onChange, errors, secretSet }: Omit<SchemaFieldProps, 'name' | 'required'>) {
  const object = (value ?? {}) as Record<string, FormValue>;
  const required = new Set(schema.required ?? []);
  return (
    <>
      {Object.entries(schema.properties ?? {}).map(([key, sub]) => (
        <SchemaField key={key} schema={sub} name={key} path={`${path}.${key}`} value={object[key]} required={required.has(key)} errors={errors} secretSet={secretSet} onChange={(next) => onChange({ ...object, [key]: next })} />
      ))}
    </>
  );
}
