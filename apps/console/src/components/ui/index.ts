// The console's own component kit. A leaf: nothing here imports a feature, the API or the app.
export { Button, type ButtonProps } from './Button';
export { ConfirmButton } from './ConfirmButton';
export { CopyField } from './CopyField';
export { Field } from './Field';
export { Badge, Card, KeyValues, PageHeader, ProgressBar, type BadgeTone } from './Layout';
export { QueryStates, type QueryLike } from './QueryStates';
export { EmptyState, ErrorState, Notice, Spinner } from './States';
export { Pager, Table, type Column } from './Table';
