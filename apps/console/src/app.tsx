import { useEffect, useState } from 'react';
import { currentSession, signOut, type Session } from './api';
import { AlertPage } from './alert-page';
import { FeedPage } from './feed-page';
import { LoginPage } from './login-page';
import { ReviewPage } from './review-page';
import { SearchPage } from './search-page';
import { BASE, onLinkClick, usePath } from './router';

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
  if (session === null || session.enrolmentOnly) {
    return <LoginPage onSignedIn={setSession} enrolmentOnly={session?.enrolmentOnly ?? false} />;
  }
  const alertId = /^\/console\/alerts\/([^/]+)$/.exec(path)?.[1];
  const user = session.user;
  const page = (): React.JSX.Element => {
    if (alertId) {
      return <AlertPage id={decodeURIComponent(alertId)} user={user} />;
    }
    if (path === `${BASE}search`) {
      return <SearchPage />;
    }
    if (path === `${BASE}review`) {
      return <ReviewPage user={user} />;
    }
    return <FeedPage />;
  };
  return (
    <>
      <header className="bar">
        <nav aria-label="Main">
          <a href={BASE} onClick={onLinkClick}>
            Live feed
          </a>
          <a href={`${BASE}search`} onClick={onLinkClick}>
            Search
          </a>
          {session.user.role === 'vetter' && (
            <a href={`${BASE}review`} onClick={onLinkClick}>
              Review queue
            </a>
          )}
        </nav>
        <span className="who">
          Signed in as <strong>{session.user.email}</strong> ({session.user.role})
        </span>
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
