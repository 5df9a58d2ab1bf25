// Fabric Stitch web console: polls /api/overview once a second and redraws the tables. Every value from the
// cluster is written with textContent, never parsed as HTML (status reasons are free text).
(function () {
  'use strict';
  var POLL_MS = 1000;
  var token = null;

  // The token arrives as #token=<token> in the address (never sent to the server), then lives in sessionStorage.
  var m = /(?:^#|&)token=([^&]+)/.exec(window.location.hash);
  if (m) {
    try { token = decodeURIComponent(m[1]); } catch (e) { token = m[1]; }
    try { sessionStorage.setItem('fabricConsoleToken', token); } catch (e) { /* private mode */ }
    history.replaceState(null, '', window.location.pathname + window.location.search);
  } else {
    try { token = sessionStorage.getItem('fabricConsoleToken'); } catch (e) { token = null; }
  }

  function headers(extra) {
    var h = extra || {};
    if (token) h.Authorization = 'Bearer ' + token;
    return h;
  }

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }

  function num(v, digits) {
    if (v === null || v === undefined) return '';
    return Number(v).toFixed(digits);
  }

  function time(iso) {
    if (!iso) return '';
    var d = new Date(iso);
    return d.toLocaleTimeString();
  }

  function replaceRows(tbody, rows) {
    while (tbody.firstChild) tbody.removeChild(tbody.firstChild);
    rows.forEach(function (r) { tbody.appendChild(r); });
  }

  // "pci 0000:3b:00.0 · driver 550.54": where a real device sits; empty for declared fabrics and the CPU.
  function deviceText(f) {
    var parts = [];
    if (f.pciAddress) parts.push('pci ' + f.pciAddress);
    if (f.driver) parts.push('driver ' + f.driver);
    return parts.join(' \u00b7 ');
  }

  // One line per function: "image.gaussian-blur: OPENCL blur.cl, speed 7.20 (MEASURED)".
  function implementationsText(f) {
    return (f.implementations || []).map(function (i) {
      return i.name + ': ' + i.runtime + (i.implementation ? ' ' + i.implementation : '') + ', speed '
        + num(i.speedFactor, 2) + ' (' + i.speedSource + ')';
    }).join('\n');
  }

  function fabricRow(f, faults) {
    var tr = el('tr');
    tr.dataset.fabricId = f.fabricId;
    tr.dataset.status = f.status;
    tr.appendChild(el('td', f.nodeName, 'node'));
    tr.appendChild(el('td', f.type, 'type'));
    tr.appendChild(el('td', f.model, 'model'));
    var rt = el('td', null, 'runtime');
    rt.appendChild(el('span', f.runtime || '', 'runtime-name'));
    var dev = deviceText(f);
    if (dev) rt.appendChild(el('span', dev, 'device'));
    rt.title = [f.deviceKey ? 'device ' + f.deviceKey : '', f.pciAddress ? 'PCI ' + f.pciAddress : '',
      f.driver ? 'driver ' + f.driver : ''].filter(function (t) { return t; }).join('\n');
    tr.appendChild(rt);
    tr.appendChild(el('td', f.site, 'site'));
    var res = el('td', null, 'resources');
    var bar = el('span', null, 'bar');
    var fill = el('span');
    var share = f.resourceCount > 0 ? f.resourceFree / f.resourceCount : 0;
    fill.style.width = Math.round(share * 100) + '%';
    bar.appendChild(fill);
    res.appendChild(bar);
    res.appendChild(document.createTextNode(f.resourceFree + ' / ' + f.resourceCount + ' ' + f.resourceUnit));
    tr.appendChild(res);
    tr.appendChild(el('td', num(f.latencyMs, 1), 'num'));
    var st = el('td');
    st.appendChild(el('span', f.status, 'status ' + f.status));
    tr.appendChild(st);
    tr.appendChild(el('td', f.statusReason || '', 'reason'));
    var fns = el('td', (f.functions || []).join(', '), 'functions');
    fns.title = implementationsText(f);
    tr.appendChild(fns);
    var ft = el('td', null, 'faults-col');
    if (faults && f.type !== 'CPU') {
      ['fail', 'degrade', 'restore'].forEach(function (op) {
        var b = el('button', op);
        b.type = 'button';
        b.dataset.op = op;
        b.addEventListener('click', function () { inject(f.fabricId, op); });
        ft.appendChild(b);
      });
    }
    tr.appendChild(ft);
    return tr;
  }

  function heat(ms) {
    // 0 ms green, 20 ms and more red.
    var t = Math.max(0, Math.min(1, ms / 20));
    var hue = Math.round(130 * (1 - t));
    return 'hsl(' + hue + ', 65%, ' + (88 - 18 * t) + '%)';
  }

  function drawLatency(lat) {
    var table = document.getElementById('latency');
    var thead = table.tHead, tbody = table.tBodies[0];
    var nodes = lat.nodes || [];
    document.getElementById('latency-empty').hidden = nodes.length > 0;
    var cell = {};
    (lat.cells || []).forEach(function (c) { cell[c.from + '\u0000' + c.to] = c; });
    var hr = el('tr');
    hr.appendChild(el('th', 'from \\ to'));
    nodes.forEach(function (n) { hr.appendChild(el('th', n)); });
    replaceRows(thead, nodes.length ? [hr] : []);
    replaceRows(tbody, nodes.map(function (from) {
      var tr = el('tr');
      tr.appendChild(el('th', from));
      nodes.forEach(function (to) {
        var c = cell[from + '\u0000' + to];
        var td;
        if (from === to) {
          td = el('td', '–', 'self');
        } else if (!c) {
          td = el('td', '?');
          td.title = 'not measured';
        } else {
          td = el('td', num(c.rttMs, 2));
          td.style.background = heat(c.rttMs);
          td.title = 'jitter ' + num(c.jitterMs, 2) + ' ms, ' + c.samples + ' samples, ' + c.lost + ' lost';
        }
        tr.appendChild(td);
      });
      return tr;
    }));
  }

  function drawAssignments(rows) {
    document.getElementById('assignments-empty').hidden = rows.length > 0;
    replaceRows(document.querySelector('#assignments tbody'), rows.map(function (a) {
      var tr = el('tr');
      tr.dataset.state = a.state;
      tr.appendChild(el('td', time(a.startedAt), 'nowrap'));
      tr.appendChild(el('td', a.function));
      tr.appendChild(el('td', a.priority));
      tr.appendChild(el('td', a.attempt, 'num'));
      tr.appendChild(el('td', (a.model || a.fabricType) + ' · ' + a.amount + ' ' + a.resourceUnit));
      tr.appendChild(el('td', a.runtime || '', 'runtime'));
      tr.appendChild(el('td', a.nodeName));
      var lt = el('td', num(a.latencyTerm, 4) + ' (' + num(a.latencyMs, 1) + ' ms)', 'num');
      tr.appendChild(lt);
      tr.appendChild(el('td', num(a.resourceTerm, 4) + ' (util ' + num(a.utilization, 3) + ')', 'num'));
      tr.appendChild(el('td', num(a.cost, 4), 'num'));
      var p = el('td', a.path);
      p.title = a.pathReason || '';
      tr.appendChild(p);
      var s = el('td', a.state);
      if (a.detail) s.title = a.detail;
      tr.appendChild(s);
      return tr;
    }));
  }

  function drawFailovers(rows) {
    document.getElementById('failovers-empty').hidden = rows.length > 0;
    replaceRows(document.querySelector('#failovers tbody'), rows.map(function (f) {
      var tr = el('tr');
      tr.appendChild(el('td', time(f.at), 'nowrap'));
      tr.appendChild(el('td', f.function + ' #' + f.attempt));
      tr.appendChild(el('td', (f.fromModel || f.fromFabricType) + ' on ' + f.fromNode));
      tr.appendChild(el('td', f.reason || ''));
      tr.appendChild(el('td', f.toNode ? (f.toModel || f.toFabricType) + ' on ' + f.toNode : '—'));
      tr.appendChild(el('td', f.nextState || ''));
      return tr;
    }));
  }

  var SHOWN_METRICS = ['fabrics', 'fabricsOnline', 'fabricsDegraded', 'fabricsOffline', 'tasksRouted', 'failovers',
    'selections', 'waitQueueLength', 'reservations', 'jobsActive', 'jobsWaiting', 'orchestratorHosted'];

  function drawMetrics(metrics) {
    var dl = document.getElementById('metrics');
    replaceRows(dl, SHOWN_METRICS.filter(function (k) { return k in metrics; }).map(function (k) {
      var d = el('div');
      d.appendChild(el('dt', k));
      var dd = el('dd', metrics[k]);
      dd.id = 'metric-' + k;
      d.appendChild(dd);
      return d;
    }));
  }

  function setState(text, error) {
    var s = document.getElementById('state');
    s.textContent = text;
    s.className = 'state' + (error ? ' error' : '');
  }

  function draw(o) {
    var c = o.cluster;
    document.getElementById('cluster').textContent = c.servers + ' server node(s), ' + c.clients
      + ' client(s) · console of ' + c.node;
    document.body.classList.toggle('faults', !!c.faultInjection);
    document.getElementById('fabric-count').textContent = o.fabrics.length + ' fabric(s)';
    replaceRows(document.querySelector('#fabrics tbody'), o.fabrics.map(function (f) {
      return fabricRow(f, c.faultInjection);
    }));
    drawLatency(o.latency);
    drawAssignments(o.assignments);
    drawFailovers(o.failovers);
    drawMetrics(o.metrics);
    setState('updated ' + time(c.generatedAt), false);
  }

  function errorOf(resp) {
    return resp.json().then(function (b) { return b.error || resp.statusText; },
      function () { return resp.status + ' ' + resp.statusText; });
  }

  function poll() {
    fetch('api/overview', { headers: headers(), cache: 'no-store' }).then(function (resp) {
      if (!resp.ok) return errorOf(resp).then(function (msg) { throw new Error(msg); });
      return resp.json();
    }).then(draw).catch(function (e) {
      setState('cannot refresh: ' + e.message, true);
    }).then(function () {
      setTimeout(poll, POLL_MS);
    });
  }

  function inject(fabricId, op) {
    var done = { fail: 'failed', degrade: 'degraded' }[op];
    var body = done ? JSON.stringify({ reason: done + ' from the web console' }) : '';
    fetch('api/fabrics/' + encodeURIComponent(fabricId) + '/' + op, {
      method: 'POST', headers: headers({ 'Content-Type': 'application/json' }), body: body
    }).then(function (resp) {
      if (!resp.ok) return errorOf(resp).then(function (msg) { throw new Error(msg); });
      return resp.json();
    }).then(function (r) {
      setState(r.result, false);
    }).catch(function (e) {
      setState(op + ' refused: ' + e.message, true);
    });
  }

  poll();
}());
