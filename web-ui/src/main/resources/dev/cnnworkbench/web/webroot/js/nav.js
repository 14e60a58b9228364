// The navigation bar of every page, from one list: fills the page's <header class="top" data-page="NAME"> (NAME is
// the page's entry below, marked as current; "login" shows the brand only). Load it first, as a module script, so
// the header exists before the page's own script runs.

/** The pages in the navigation bar, in order: [name, address, text]. */
export const PAGES = [
  ['runs', '/', 'Runs'],
  ['compare', '/compare.html', 'Compare'],
  ['sweeps', '/sweep.html', 'Sweeps'],
  ['ensembles', '/ensemble.html', 'Ensembles'],
  ['plugins', '/plugins.html', 'Plugins'],
];

/** Renders the navigation into `header` for the page named by its data-page. */
export function renderNav(header) {
  const current = header.dataset.page;
  const brand = document.createElement(current === 'login' ? 'span' : 'a');
  brand.className = 'brand';
  brand.textContent = 'CNN Workbench';
  if (current !== 'login') brand.href = '/';
  header.replaceChildren(brand);
  if (current === 'login') return;
  for (const [name, href, text] of PAGES) {
    const a = document.createElement('a');
    a.href = href;
    a.textContent = text;
    a.id = name + '-link';
    if (name === current) a.setAttribute('aria-current', 'page');
    header.append(a);
  }
}

const header = document.querySelector('header.top[data-page]');
if (header) renderNav(header);
