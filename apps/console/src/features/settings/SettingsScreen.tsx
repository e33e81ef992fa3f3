import { PageHeader } from '../../components/ui';
import { RegistrationKit } from '../registration/RegistrationKit';
import { useCan } from '../auth/session';
import { ApiKeys } from './ApiKeys';
import { Sessions } from './Sessions';
import { Team } from './Team';
import { WorkspaceForm } from './WorkspaceForm';

export function SettingsScreen() {
  const canManageKeys = useCan('keys:manage');
  const canManageUsers = useCan('users:manage');
  return (
    <>
      <PageHeader title="Settings" description="Your brand, sending rules, team and access." />
      <WorkspaceForm />
      <RegistrationKit />
      {canManageUsers && <Team />}
      {canManageKeys && <ApiKeys />}
      <Sessions />
    </>
  );
}
