// The collections beside the records table, with a search box: switch collection without going back to the list.
import { useState } from 'react';
import type { CollectionModel } from 'pocketbase';
import { href } from '../lib/router';

export function CollectionsSidebar({ collections, current }: { collections: CollectionModel[]; current: string }) {
  const [q, setQ] = useState('');
  const needle = q.trim().toLowerCase();
  // System collections only while searching for them (or when open), as PocketBase's sidebar does.
  const shown = collections.filter((c) => (needle ? c.name.toLowerCase().includes(needle) : !c.system || c.name === current));
  return (
    <nav className="collections-side" aria-label="Collections">
      <input type="search" aria-label="Search collections" placeholder="Search collections" value={q} onChange={(e) => setQ(e.target.value)} />
      <ul>
        {shown.map((c) => (
          <li key={c.id}>
            <a href={href('records', c.name)} aria-current={c.name === current ? 'page' : undefined} className={c.name === current ? 'active' : ''}>
              {c.name}{c.type !== 'base' && <span className="badge">{c.type}</span>}
            </a>
          </li>
        ))}
        {shown.length === 0 && <li className="muted">No match.</li>}
      </ul>
    </nav>
  );
}
