import type { Contact } from '@optline/contacts';
import type { Workspace } from '@optline/core';
import type { ContactView, WorkspaceView } from './executors';

export function workspaceView(workspace: Workspace): WorkspaceView {
  return {
    id: workspace.id,
    name: workspace.name,
    brandName: workspace.brandName,
    supportEmail: workspace.supportEmail,
    supportPhone: workspace.supportPhone,
    supportUrl: workspace.supportUrl,
    timeZone: workspace.timeZone,
  };
}

export function contactView(contact: Contact): ContactView {
  return {
    id: contact.id,
    firstName: contact.firstName,
    lastName: contact.lastName,
    phone: contact.phone,
    email: contact.email,
    timeZone: contact.timeZone,
    attributes: { ...(contact.attributes ?? {}) },
  };
}
