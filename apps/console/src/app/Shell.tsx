import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { NavLink, Outlet, useNavigate } from 'react-router';
import { api } from '../api/client';
import { call } from '../api/errors';
import { Button } from '../components/ui';
import { useMe } from '../features/auth/session';
import { NAVIGATION } from './navigation';

export function Shell() {
  const me = useMe();
  const [open, setOpen] = useState(false);
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const signOut = useMutation({
    mutationFn: () => call(api.POST('/v1/auth/logout', {})),
    onSettled: () => {
      queryClient.clear();
      navigate('/sign-in', { replace: true });
    },
  });
  const permissions = me.data?.permissions ?? [];
  const items = NAVIGATION.filter((item) => !item.permission || permissions.includes(item.permission));
  return (
    <div className="shell">
      <a className="skip-link" href="#main">Skip to content</a>
      <div className="topbar">
        <strong>{me.data?.workspace.brandName ?? 'Optline'}</strong>
        <Button aria-expanded={open} aria-controls="sidebar" onClick={() => setOpen(!open)}>
          Menu
        </Button>
      </div>
      <aside id="sidebar" className={`sidebar${open ? ' open' : ''}`}>
        <div className="sidebar__brand">
          Optline
          <small>{me.data?.workspace.name}</small>
        </div>
        <nav aria-label="Main">
          {items.map((item) => (
            <NavLink key={item.to} to={item.to} end={item.to === '/'} className="nav-link" onClick={() => setOpen(false)}>
              {item.label}
            </NavLink>
          ))}
        </nav>
        <div className="sidebar__footer">
          <div>{me.data?.user.displayName}</div>
          <div className="muted">
            {me.data?.user.email} · {me.data?.user.role}
          </div>
          <Button onClick={() => signOut.mutate()} busy={signOut.isPending}>
            Sign out
          </Button>
        </div>
      </aside>
      <main className="main" id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
