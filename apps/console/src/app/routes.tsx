import { lazy, Suspense, type ComponentType, type ReactNode } from 'react';
import { createBrowserRouter } from 'react-router';
import { Spinner } from '../components/ui';
import { SetupScreen } from '../features/auth/SetupScreen';
import { SignInScreen } from '../features/auth/SignInScreen';
import { RequirePermission, RequireSession } from './RequireSession';
import { Shell } from './Shell';
import { NotFound } from './NotFound';

// Route files only bind a path and a guard to a screen; screens live in src/features/<feature>/.
// Signed-in screens load on demand so the first screen (sign-in) stays small.
function screen(load: () => Promise<object>, name: string) {
  const Screen = lazy(async () => ({ default: (await load())[name as keyof object] as ComponentType }));
  return <Suspense fallback={<Spinner />}><Screen /></Suspense>;
}

function guarded(permission: string, element: ReactNode) {
  return <RequirePermission permission={permission}>{element}</RequirePermission>;
}

export const router = createBrowserRouter([
  { path: '/setup', element: <SetupScreen /> },
  { path: '/sign-in', element: <SignInScreen /> },
  { path: '/invite/:token', element: screen(() => import('../features/auth/InviteScreen'), 'InviteScreen') },
  { path: '/reset-password/:token', element: screen(() => import('../features/auth/ResetPasswordScreen'), 'ResetPasswordScreen') },
  {
    path: '/',
    element: (
      <RequireSession>
        <Shell />
      </RequireSession>
    ),
    children: [
      { index: true, element: screen(() => import('../features/home/HomeScreen'), 'HomeScreen') },
      { path: 'contacts', element: guarded('contacts:read', screen(() => import('../features/contacts/ContactsScreen'), 'ContactsScreen')) },
      { path: 'contacts/:id', element: guarded('contacts:read', screen(() => import('../features/contacts/ContactScreen'), 'ContactScreen')) },
      // One screen for the list and a conversation (a child route), so the live stream stays open while moving between threads.
      { path: 'inbox', element: guarded('conversations:read', screen(() => import('../features/inbox/InboxScreen'), 'InboxScreen')), children: [{ path: ':id', element: null }] },
      { path: 'messages', element: guarded('messages:read', screen(() => import('../features/messages/MessagesScreen'), 'MessagesScreen')) },
      { path: 'messages/:id', element: guarded('messages:read', screen(() => import('../features/messages/MessageScreen'), 'MessageScreen')) },
      { path: 'plugins', element: guarded('plugins:read', screen(() => import('../features/plugins/PluginsScreen'), 'PluginsScreen')) },
      { path: 'plugins/:pluginId', element: guarded('plugins:read', screen(() => import('../features/plugins/PluginScreen'), 'PluginScreen')) },
      { path: 'imports', element: guarded('contacts:import', screen(() => import('../features/imports/ImportsScreen'), 'ImportsScreen')) },
      { path: 'groups', element: guarded('contacts:read', screen(() => import('../features/groups/GroupsScreen'), 'GroupsScreen')) },
      { path: 'suppression', element: guarded('consent:read', screen(() => import('../features/suppression/SuppressionScreen'), 'SuppressionScreen')) },
      { path: 'settings', element: guarded('settings:read', screen(() => import('../features/settings/SettingsScreen'), 'SettingsScreen')) },
      { path: 'flows', element: guarded('flows:read', screen(() => import('../features/flows/FlowsScreen'), 'FlowsScreen')) },
      { path: 'flows/templates', element: guarded('flows:read', screen(() => import('../features/flows/TemplatesScreen'), 'TemplatesScreen')) },
      // The builder (xyflow, dagre) is its own lazy chunk; selecting a step is a child route so the builder stays mounted.
      { path: 'flows/:id', element: guarded('flows:read', screen(() => import('../features/flows/FlowBuilderScreen'), 'FlowBuilderScreen')), children: [{ path: 'steps/:stepId', element: null }] },
      { path: 'flows/:id/report', element: guarded('reports:read', screen(() => import('../features/reports/SubjectReportScreens'), 'FlowReportScreen')) },
      { path: 'flows/:id/runs', element: guarded('flows:read', screen(() => import('../features/flows/RunsScreen'), 'RunsScreen')) },
      { path: 'flows/:id/runs/:runId', element: guarded('flows:read', screen(() => import('../features/flows/RunScreen'), 'RunScreen')) },
      // Charts (recharts) load with the reports screen only.
      { path: 'reports', element: guarded('reports:read', screen(() => import('../features/reports/ReportsScreen'), 'ReportsScreen')) },
      { path: 'reports/settings', element: guarded('reports:read', screen(() => import('../features/reports/ReportSettingsScreen'), 'ReportSettingsScreen')) },
      { path: 'campaigns', element: guarded('flows:read', screen(() => import('../features/campaigns/CampaignsScreen'), 'CampaignsScreen')) },
      { path: 'campaigns/:id/report', element: guarded('reports:read', screen(() => import('../features/reports/SubjectReportScreens'), 'CampaignReportScreen')) },
      { path: 'segments', element: guarded('flows:read', screen(() => import('../features/segments/SegmentsScreen'), 'SegmentsScreen')) },
      { path: '*', element: <NotFound /> },
    ],
  },
]);
