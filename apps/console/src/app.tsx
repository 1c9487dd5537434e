import { lazy, Suspense, useEffect, useState } from 'react';
import { currentSession, signOut, type Session } from './api';
import { AccountPage } from './account-page';
import { AlertPage } from './alert-page';
import { DashboardPage } from './dashboard-page';
import { EnrolPage } from './enrol-page';
import { FeedPage } from './feed-page';
import { InvitePage } from './invite-page';
import { LoginPage } from './login-page';
import { ReviewPage } from './review-page';
import { SearchPage } from './search-page';
import { BASE, onLinkClick, usePath } from './router';
import { ThemeToggle } from './theme';

// Administration is loaded when first opened (its own chunk), so it costs the other pages nothing.
const AdminPage = lazy(() => import('./admin-page'));
/** The Submit page is loaded when an operator opens it: a separate chunk, outside the initial JavaScript. */
const SubmitPage = lazy(() => import('./submit-page').then((m) => ({ default: m.SubmitPage })));

export function App(): React.JSX.Element {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const path = usePath();

  useEffect(() => {
    currentSession().then(setSession, (e: unknown) => setError(String(e)));
  }, []);

  if (error !== null) {
    return <p role="alert">{error}</p>;
  }
  if (session === undefined) {
    return <p>Loading…</p>;
  }
  if (path === `${BASE}invite`) {
    return <InvitePage />;
  }
  if (session === null) {
    return <LoginPage onSignedIn={setSession} />;
  }
  if (session.enrolmentOnly) {
    return (
      <EnrolPage
        session={session}
        onEnrolled={setSession}
        onSignOut={() => {
          signOut().then(
            () => setSession(null),
            (e: unknown) => setError(String(e)),
          );
        }}
      />
    );
  }
  const alertId = /^\/console\/alerts\/([^/]+)$/.exec(path)?.[1];
  const user = session.user;
  const page = (): React.JSX.Element => {
    if (alertId) {
      return <AlertPage id={decodeURIComponent(alertId)} user={user} />;
    }
    if (path === `${BASE}dashboard`) {
      return <DashboardPage user={user} />;
    }
    if (path === `${BASE}search`) {
      return <SearchPage />;
    }
    if (path === `${BASE}admin` || path.startsWith(`${BASE}admin/`)) {
      return (
        <Suspense fallback={<p>Loading…</p>}>
          <AdminPage user={user} path={path} />
        </Suspense>
      );
    }
    if (path === `${BASE}submit` && user.role === 'operator') {
      return (
        <Suspense fallback={<p>Loading…</p>}>
          <SubmitPage />
        </Suspense>
      );
    }
    if (path === `${BASE}review`) {
      return <ReviewPage user={user} />;
    }
    if (path === `${BASE}account`) {
      return <AccountPage session={session} onSessionChanged={setSession} />;
    }
    return <FeedPage />;
  };
  return (
    <>
      <header className="bar">
        <nav aria-label="Main">
          <a href={`${BASE}dashboard`} onClick={onLinkClick}>
            Dashboard
          </a>
          <a href={BASE} onClick={onLinkClick}>
            Live feed
          </a>
          <a href={`${BASE}search`} onClick={onLinkClick}>
            Search
          </a>
          {session.user.role === 'operator' && (
            <a href={`${BASE}submit`} onClick={onLinkClick}>
              Submit
            </a>
          )}
          {session.user.role === 'vetter' && (
            <a href={`${BASE}review`} onClick={onLinkClick}>
              Review queue
            </a>
          )}
          {session.user.role === 'admin' && (
            <a href={`${BASE}admin`} onClick={onLinkClick}>
              Administration
            </a>
          )}
          <a href={`${BASE}account`} onClick={onLinkClick}>
            Account
          </a>
        </nav>
        <span className="who">
          Signed in as <strong>{session.user.email}</strong> ({session.user.role})
        </span>
        <ThemeToggle />
        <button
          type="button"
          onClick={() => {
            signOut().then(
              () => setSession(null),
              (e: unknown) => setError(String(e)),
            );
          }}
        >
          Sign out
        </button>
      </header>
      <main>{page()}</main>
    </>
  );
}
