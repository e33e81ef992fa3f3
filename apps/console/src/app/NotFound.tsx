import { Link } from 'react-router';
import { EmptyState } from '../components/ui';

export function NotFound() {
  return (
    <EmptyState title="This page does not exist">
      <Link to="/">Go to the home page</Link>
    </EmptyState>
  );
}
