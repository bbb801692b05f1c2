// The export reference for `make bench`: walk the list by cursor in pages of 1,000 (`to`
// pinned), collect the rows, Papa.unparse them with the tab's ten columns, save a Blob.
// It records how long Papa.unparse alone took, for the CSV writer's comparison.
const params = new URLSearchParams(location.search);
const fields = ['Failed On', 'Date/Time of the failure (UTC)', 'Date/Time of the failure (local)',
  'Error Type', 'Error Details', 'Object', 'Operation', 'Marketo ID', 'Salesforce ID', 'Fields'];
const offset = (t) => {
  const m = -t.getTimezoneOffset();
  const p = (n) => String(Math.floor(Math.abs(n))).padStart(2, '0');
  const d = new Date(t.getTime() + m * 60000).toISOString().slice(0, 19);
  return `${d}${m < 0 ? '-' : '+'}${p(m / 60)}:${p(m % 60)}`;
};

document.getElementById('export').addEventListener('click', async () => {
  const rows = [];
  let cursor = null;
  for (;;) {
    const q = new URLSearchParams({ limit: '1000', from: params.get('from'), to: params.get('to') });
    if (cursor) q.set('cursor', cursor);
    const res = await fetch(`/api/v1/sync-errors?${q}`, { credentials: 'same-origin' });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const page = await res.json();
    for (const e of page.items) {
      rows.push([e.level === 'job' ? 'Job level' : 'Record level', e.failed_at, offset(new Date(e.failed_at)),
        e.error_code, e.message, e.object_type ?? '', e.operation ?? '', e.marketo_id ?? '',
        e.salesforce_id ?? '', e.fields.join('; ')]);
    }
    cursor = page.next_cursor;
    if (!cursor) break;
    await new Promise((r) => setTimeout(r)); // let the browser paint between pages, as the tab does
  }
  const started = performance.now();
  const csv = Papa.unparse({ fields, data: rows }, { newline: '\r\n', escapeFormulae: true });
  window.papaMs = performance.now() - started;
  window.papaBytes = csv.length;
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob(['\uFEFF', csv], { type: 'text/csv;charset=utf-8' }));
  a.download = 'reference-export.csv';
  a.click();
  document.getElementById('status').textContent = `${rows.length} rows`;
});
