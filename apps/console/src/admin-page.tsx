import { useEffect, useState } from 'react';
import { Tab, TabList, TabPanel, Tabs, type Key } from 'react-aria-components';
import { ConstituencyPanel, SubscriptionsPanel } from './admin-delivery';
import { message, OrgsPanel } from './admin-orgs';
import { KeysPanel, UsersPanel } from './admin-people';
import type { SessionUser } from './api';
import { getOrg, type OrgView } from './api-admin';
import { BASE, navigate } from './router';
import './admin.css';

export const ADMIN_TABS = [
  { id: 'orgs', label: 'Organisations' },
  { id: 'users', label: 'Users' },
  { id: 'keys', label: 'Keys' },
  { id: 'subscriptions', label: 'Subscriptions' },
  { id: 'constituency', label: 'Constituency' },
] as const;

type TabId = (typeof ADMIN_TABS)[number]['id'];

function tabOf(path: string): TabId {
  const id = path.slice(`${BASE}admin/`.length);
  return ADMIN_TABS.find((t) => t.id === id)?.id ?? 'orgs';
}

/**
 * Administration (`/console/admin/<tab>`), for `admin` users: what each tab shows and changes is what the API lets
 * this admin read and do (a hub admin sees every organisation and changes trust; a member admin its own org).
 */
export default function AdminPage({ user, path }: { readonly user: SessionUser; readonly path: string }) {
  const [org, setOrg] = useState<OrgView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const isAdmin = user.role === 'admin';
  useEffect(() => {
    if (isAdmin) {
      getOrg(user.orgId).then(setOrg, (e: unknown) => setError(message(e)));
    }
  }, [isAdmin, user.orgId]);

  if (!isAdmin) {
    return (
      <section aria-labelledby="admin-heading">
        <h1 id="admin-heading">Administration</h1>
        <p>Administration is for an organisation’s admins: your role ({user.role}) has none.</p>
      </section>
    );
  }
  return (
    <section aria-labelledby="admin-heading" className="admin">
      <h1 id="admin-heading">Administration{org !== null ? ` of ${org.name}` : ''}</h1>
      {error !== null && <p role="alert">{error}</p>}
      {org === null && error === null && <p>Loading…</p>}
      {org !== null && (
        <Tabs selectedKey={tabOf(path)} onSelectionChange={(key: Key) => navigate(`${BASE}admin/${String(key)}`)}>
          <TabList aria-label="Administration sections" className="admin-tabs">
            {ADMIN_TABS.map((t) => (
              <Tab key={t.id} id={t.id}>
                {t.label}
              </Tab>
            ))}
          </TabList>
          <TabPanel id="orgs">
            <OrgsPanel ownOrg={org} />
          </TabPanel>
          <TabPanel id="users">
            <UsersPanel org={org} />
          </TabPanel>
          <TabPanel id="keys">
            <KeysPanel org={org} />
          </TabPanel>
          <TabPanel id="subscriptions">
            <SubscriptionsPanel org={org} />
          </TabPanel>
          <TabPanel id="constituency">
            <ConstituencyPanel org={org} />
          </TabPanel>
        </Tabs>
      )}
    </section>
  );
}
