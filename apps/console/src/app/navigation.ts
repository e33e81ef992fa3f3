/** The main navigation; an entry shows only to roles holding its permission. */
export const NAVIGATION: { to: string; label: string; permission?: string }[] = [
  { to: '/', label: 'Home' },
  { to: '/inbox', label: 'Inbox', permission: 'conversations:read' },
  { to: '/contacts', label: 'Contacts', permission: 'contacts:read' },
  { to: '/messages', label: 'Messages', permission: 'messages:read' },
  { to: '/flows', label: 'Flows', permission: 'flows:read' },
  { to: '/campaigns', label: 'Campaigns', permission: 'flows:read' },
  { to: '/segments', label: 'Segments', permission: 'flows:read' },
  { to: '/plugins', label: 'Plugins', permission: 'plugins:read' },
  { to: '/imports', label: 'Imports', permission: 'contacts:import' },
  { to: '/groups', label: 'Groups', permission: 'contacts:read' },
  { to: '/suppression', label: 'Suppression list', permission: 'consent:read' },
  { to: '/reports', label: 'Reports', permission: 'reports:read' },
  { to: '/settings', label: 'Settings', permission: 'settings:read' },
];
