import { useEffect, useState } from 'react';

/** Paths under /console, kept in the address bar so pages can be linked and reloaded. */
export function usePath(): [string, (path: string) => void] {
  const read = () => window.location.pathname.replace(/^\/console\/?/, '');
  const [path, setPath] = useState(read);
  useEffect(() => {
    const onPop = () => setPath(read());
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const go = (next: string) => {
    window.history.pushState(null, '', `/console/${next}`);
    setPath(next);
  };
  return [path, go];
}
