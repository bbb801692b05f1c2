// The host listens to the tab's events and switches its own dark theme.
const tab = document.querySelector('sync-errors-tab');
const log = document.getElementById('events');
tab.addEventListener('sync-errors-tab:view-change', (e) => { log.textContent = `View: ?${e.detail.query}`; });
tab.addEventListener('sync-errors-tab:session-ended', () => { log.textContent = 'The session ended.'; });
const theme = document.getElementById('theme');
theme.addEventListener('click', () => {
  const dark = document.body.classList.toggle('dark');
  theme.setAttribute('aria-pressed', String(dark));
});
