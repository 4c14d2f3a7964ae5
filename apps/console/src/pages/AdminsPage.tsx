import { useEffect, useState } from 'react';
import { api, fieldError, type Schemas } from '../api';
import { Field } from './WorkspacesPage';

export function AdminsPage({ tenant, self }: { tenant: string; self: string }) {
  const [admins, setAdmins] = useState<Schemas['TenantAdminDto'][]>();
  const [email, setEmail] = useState('');
  const [error, setError] = useState<string>();
  const load = () => void api.GET('/v1/tenants/{tenant}/admins', { params: { path: { tenant } } }).then(({ data }) => setAdmins(data?.admins ?? []));
  useEffect(load, [tenant]);
  async function add(event: React.FormEvent) {
    event.preventDefault();
    const { error } = await api.PUT('/v1/tenants/{tenant}/admins/{email}', { params: { path: { tenant, email } } });
    setError(error ? fieldError(error).message : undefined);
    if (!error) setEmail('');
    load();
  }
  async function remove(who: string) {
    await api.DELETE('/v1/tenants/{tenant}/admins/{email}', { params: { path: { tenant, email: who } } });
    load();
  }
  return (
    <>
      <h1>Tenant admins</h1>
      <p>Admins sign in to this console with their Tessera account and can manage everything in this organization.</p>
      <ul className="list">
        {admins?.map((a) => (
          <li key={a.email}>{a.email} {a.email !== self && <button type="button" onClick={() => void remove(a.email)} aria-label={`Remove ${a.email}`}>Remove</button>}</li>
        ))}
      </ul>
      <form onSubmit={(e) => void add(e)} className="inline" noValidate>
        <Field id="admin-email" label="Email of the new admin" type="email" value={email} onChange={setEmail} error={error} />
        <button type="submit">Add admin</button>
      </form>
    </>
  );
}
