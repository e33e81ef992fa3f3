import type { ReactNode } from 'react';

export function AuthLayout({ title, intro, children }: { title: string; intro?: ReactNode; children: ReactNode }) {
  return (
    <main className="auth-page">
      <div className="auth-card">
        <h1>{title}</h1>
        {intro && <p>{intro}</p>}
        {children}
      </div>
    </main>
  );
}
