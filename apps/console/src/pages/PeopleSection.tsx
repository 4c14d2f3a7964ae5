import { useEffect, useRef, useState } from 'react';
import { api, errorMessage, fieldError, type Schemas } from '../api';
import { ConsentsPanel } from './ConsentsPanel';
import { Field } from './WorkspacesPage';

type Path = { tenant: string; workspace: string };

/** Members and their groups, and the OAuth clients registered for this workspace. */
export function PeopleSection({ path }: { path: Path }) {
  const [users, setUsers] = useState<Schemas['UserDto'][]>();
  const [clients, setClients] = useState<Schemas['OAuthClientDto'][]>();
  const [form, setForm] = useState({ email: '', name: '', password: '', groups: '' });
  const [error, setError] = useState<{ field?: string; message: string }>();
  const [removing, setRemoving] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const load = () => {
    void api.GET('/v1/tenants/{tenant}/workspaces/{workspace}/users', { params: { path } }).then(({ data }) => setUsers(data?.users ?? []));
    void api.GET('/v1/tenants/{tenant}/workspaces/{workspace}/oauth-clients', { params: { path } }).then(({ data }) => setClients(data?.clients ?? []));
  };
  useEffect(load, [path.tenant, path.workspace]);
  const set = (key: keyof typeof form) => (value: string) => setForm((f) => ({ ...f, [key]: value }));

  async function add(event: React.FormEvent) {
    event.preventDefault();
    const body = { email: form.email, name: form.name, password: form.password || undefined, groups: form.groups.split(',').map((g) => g.trim()).filter(Boolean) };
    const { error } = await api.POST('/v1/tenants/{tenant}/workspaces/{workspace}/users', { params: { path }, body });
    if (error) return setError(fieldError(error));
    setError(undefined);
    setForm({ email: '', name: '', password: '', groups: '' });
    load();
  }
  async function removeClient(clientId: string) {
    const { error } = await api.DELETE('/v1/tenants/{tenant}/workspaces/{workspace}/oauth-clients/{clientId}', { params: { path: { ...path, clientId } } });
    if (error) setError({ message: errorMessage(error) });
    load();
  }
  async function removeMember(email: string) {
    const { error } = await api.DELETE('/v1/tenants/{tenant}/workspaces/{workspace}/users/{email}', { params: { path: { ...path, email } } });
    setRemoving(undefined);
    if (error) return setError({ message: errorMessage(error) });
    setNotice(`${email} was removed; their access to this workspace has ended. Single sign-on will not add them back; add them here again to let them in.`);
    load();
  }
  const at = (field: string) => (error?.field === field ? error.message : undefined);

  return (
    <section aria-labelledby="people-h">
      <h2 id="people-h">People</h2>
      {notice && <p role="status">{notice}</p>}
      {users?.length === 0 && <p className="empty">No members yet: add the people who may use this connector.</p>}
      {users && users.length > 0 && (
        <table className="cards">
          <thead><tr><th scope="col">Email</th><th scope="col">Name</th><th scope="col">Groups</th><th scope="col">Password sign-in</th><th scope="col">Actions</th></tr></thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id}>
                <td data-label="Email">{u.email}</td><td data-label="Name">{u.name}</td><td data-label="Groups">{u.groups.join(', ')}</td><td data-label="Password sign-in">{u.hasPassword ? 'yes' : 'no (IdP only)'}</td>
                <td data-label="Actions">
                  {removing === u.email
                    ? <ConfirmRemoval email={u.email} onConfirm={() => void removeMember(u.email)} onCancel={() => setRemoving(undefined)} />
                    : <button type="button" onClick={() => { setNotice(undefined); setRemoving(u.email); }} aria-label={`Remove ${u.email}`}>Remove</button>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form onSubmit={(e) => void add(e)} className="inline" noValidate>
        <Field id="member-email" label="Email" type="email" value={form.email} onChange={set('email')} error={at('email')} />
        <Field id="member-name" label="Full name" value={form.name} onChange={set('name')} error={at('name')} />
        <Field id="member-password" label="Password (optional, 12+ characters)" type="password" value={form.password} onChange={set('password')} error={at('password')} />
        <Field id="member-groups" label="Groups (comma-separated)" value={form.groups} onChange={set('groups')} error={at('groups')} />
        {error && !['email', 'name', 'password', 'groups'].includes(error.field ?? '') && <p role="alert" className="error">{error.message}</p>}
        <button type="submit">Add or update member</button>
      </form>
      {users && <ConsentsPanel path={path} members={users} />}
      <h3>OAuth clients registered for this workspace</h3>
      {clients?.length === 0 && <p className="empty">None: ChatGPT registers itself when someone connects.</p>}
      <ul className="list">
        {clients?.map((c) => <li key={c.clientId}>{c.clientName} <code>{c.clientId}</code> <button type="button" onClick={() => void removeClient(c.clientId)} aria-label={`Remove client ${c.clientName}`}>Remove</button></li>)}
      </ul>
    </section>
  );
}

/** Asks before removing: focus moves to the confirmation, Escape or Cancel keeps the member. */
function ConfirmRemoval({ email, onConfirm, onCancel }: { email: string; onConfirm: () => void; onCancel: () => void }) {
  const confirm = useRef<HTMLButtonElement>(null);
  useEffect(() => confirm.current?.focus(), []);
  return (
    <div role="group" aria-labelledby={`confirm-${email}`} className="confirm" onKeyDown={(e) => e.key === 'Escape' && onCancel()}>
      <p id={`confirm-${email}`}>Remove {email} from this workspace? Their access tokens and ChatGPT connection for it stop working, and single sign-on will not add them back until you add them again.</p>
      <button ref={confirm} type="button" onClick={onConfirm}>Yes, remove {email}</button> <button type="button" onClick={onCancel}>Cancel</button>
    </div>
  );
}
