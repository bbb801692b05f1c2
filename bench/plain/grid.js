// The plain-JavaScript reference for `make bench`: fetch one page of the list, render the
// same five columns as the tab (local time through Intl, exact UTC on hover), no framework.
const limit = new URLSearchParams(location.search).get('limit') ?? '100';
const local = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const utc = (t) => t.replace('T', ' ').replace('Z', ' UTC');

function cell(tr, text, tag) {
  const td = tr.insertCell();
  if (tag) {
    const el = document.createElement(tag);
    el.textContent = text;
    td.append(el);
  } else {
    td.textContent = text;
  }
  return td;
}

const res = await fetch(`/api/v1/sync-errors?limit=${limit}`, { credentials: 'same-origin' });
if (!res.ok) throw new Error(`HTTP ${res.status}`);
const page = await res.json();
const body = document.querySelector('tbody');
const frag = document.createDocumentFragment();
for (const e of page.items) {
  const tr = document.createElement('tr');
  tr.dataset.id = e.id;
  tr.tabIndex = 0;
  cell(tr, e.level === 'job' ? 'Job level' : 'Record level', 'span');
  const time = document.createElement('time');
  time.dateTime = e.failed_at;
  time.title = utc(e.failed_at);
  time.textContent = local.format(new Date(e.failed_at));
  tr.insertCell().append(time);
  cell(tr, e.error_code, 'code');
  cell(tr, e.message, 'span');
  cell(tr, e.object_type ?? '');
  frag.append(tr);
}
body.append(frag);
document.getElementById('status').textContent =
  `Showing 1–${page.items.length} of ${page.total.toLocaleString()}`;
