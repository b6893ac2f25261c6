// Live updates for pages that ask for them: <body data-live-region="35.72"> (or
// data-live-province, data-live-action, data-live-forum, or data-live for everything) and
// data-live-position="<position the page was rendered at>". On each `perubahan` event of
// GET /langsung the page's <main> is fetched again and swapped in, and a polite status
// says so. Without this script the page is complete; it only saves a reload.
(function () {
  'use strict';
  var body = document.body;
  var scopes = { liveRegion: 'wilayah', liveProvince: 'provinsi', liveAction: 'aksi',
                 liveForum: 'forum' };
  var query = [];
  Object.keys(scopes).forEach(function (key) {
    if (body.dataset[key]) query.push(scopes[key] + '=' + encodeURIComponent(body.dataset[key]));
  });
  if (!query.length && body.dataset.live === undefined) return;
  if (!window.EventSource || !window.fetch || !window.DOMParser) return;
  if (body.dataset.livePosition) {
    query.push('setelah=' + encodeURIComponent(body.dataset.livePosition));
  }
  var english = (document.documentElement.lang || '').toLowerCase().indexOf('en') === 0;
  var status = document.createElement('div');
  status.className = 'visually-hidden live-status';
  status.setAttribute('role', 'status');
  status.setAttribute('aria-live', 'polite');
  body.appendChild(status);
  var busy = false;
  var again = false;

  function editing() {  // never throw away what someone is typing into a form
    var active = document.activeElement;
    var main = document.querySelector('main');
    return main && active && main.contains(active) && active.matches('input, select, textarea');
  }

  function announce() {
    var now = new Date();
    var time = ('0' + now.getHours()).slice(-2) + ':' + ('0' + now.getMinutes()).slice(-2);
    status.textContent = (english ? 'Updated ' : 'Diperbarui ') + time;
  }

  function refresh() {
    if (busy || editing()) { again = true; return; }
    busy = true;
    again = false;
    fetch(location.href, { cache: 'no-cache', credentials: 'same-origin' })
      .then(function (response) {
        if (!response.ok) throw new Error('HTTP ' + response.status);
        return response.text();
      })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, 'text/html');
        var main = document.querySelector('main');
        var next = fresh.querySelector('main');
        if (!main || !next) throw new Error('no <main>');
        main.innerHTML = next.innerHTML;
        if (fresh.title) document.title = fresh.title;
        var position = fresh.body.getAttribute('data-live-position');
        if (position) body.setAttribute('data-live-position', position);
        announce();
        busy = false;
        if (again) refresh();
      })
      .catch(function () { location.reload(); });
  }

  var source = new EventSource('/langsung?' + query.join('&'));
  source.addEventListener('perubahan', refresh);
  document.addEventListener('focusout', function () {
    if (again && !busy) setTimeout(function () { if (!editing()) refresh(); }, 0);
  });
  window.addEventListener('pagehide', function () { source.close(); });
  window.addEventListener('pageshow', function (event) { if (event.persisted) location.reload(); });
})();
