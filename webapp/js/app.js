// Entry point: picks the screen for the current path and swaps screens on navigation.
import { session } from './api.js';
import { landing, signIn, register, home, notFound } from './ui/pages.js';
import { prejoin } from './ui/prejoin.js';
import { navigate } from './ui/nav.js';

const root = document.getElementById('app');
let cleanup = null;

async function render() {
  if (typeof cleanup === 'function') cleanup();
  cleanup = null;
  const path = location.pathname;
  const invite = path.match(/^\/m\/([^/]+)\/?$/);
  if (invite) {
    cleanup = await prejoin(root, decodeURIComponent(invite[1]));
    return;
  }
  switch (path) {
    case '/':
    case '/index.html':
      if (session.get()) navigate('/home', { replace: true });
      else await landing(root);
      break;
    case '/signin': await signIn(root); break;
    case '/register': register(root); break;
    case '/home': await home(root); break;
    default: notFound(root);
  }
}

// links marked data-nav change screens without a reload
document.addEventListener('click', (event) => {
  const link = event.target.closest('a[data-nav]');
  if (!link || link.origin !== location.origin || event.ctrlKey || event.metaKey || event.shiftKey) return;
  event.preventDefault();
  navigate(link.pathname + link.search);
});
window.addEventListener('popstate', render);
window.addEventListener('confab:route', render);
render();
