import { PageHeader } from '../../components/ui';
import { RegistrationKit } from '../registration/RegistrationKit';
import { Senders } from '../senders/Senders';
import { useCan } from '../auth/session';
import { Webhooks } from '../webhooks/Webhooks';
import { ApiKeys } from './ApiKeys';
import { LinkDomain } from './LinkDomain';
import { Sessions } from './Sessions';
import { Team } from './Team';
import { WorkspaceForm } from './WorkspaceForm';

export function SettingsScreen() {
  const canManageKeys = useCan('keys:manage');
  const canManageUsers = useCan('users:manage');
  return (
    <>
      <PageHeader title="Settings" description="Your brand, sending rules, team, access and webhooks." />
      <WorkspaceForm />
      <RegistrationKit />
      <Senders />
      <LinkDomain />
      {canManageUsers && <Team />}
      {canManageKeys && <ApiKeys />}
      <Webhooks />
      <Sessions />
    </>
  );
}
