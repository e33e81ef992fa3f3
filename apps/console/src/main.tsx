import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router';
import { onUnauthorized } from './api/client';
import { queryClient } from './app/queryClient';
import { router } from './app/routes';
import './components/ui/ui.css';
import './app/app.css';

// A session that ends mid-use (expired, signed out elsewhere) returns the user to sign-in.
onUnauthorized(() => {
  queryClient.removeQueries();
  const here = window.location.pathname + window.location.search;
  if (!here.startsWith('/sign-in')) void router.navigate(`/sign-in?next=${encodeURIComponent(here)}`, { replace: true });
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  </StrictMode>,
);
