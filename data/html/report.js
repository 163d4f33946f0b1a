// report.js: the interactions of an attn-explain page. Everything the page
// shows is in its HTML already; this script only adds:
//   - a popup with a cell's arithmetic when a score or weight cell is pointed
//     at or focused (tables and heatmaps), and the number of any heatmap cell;
//     click (or Enter) keeps it open, Escape closes it;
//   - the arrow keys inside a matrix of weights and inside a heatmap;
//   - selecting a token of a line view (click, or the arrow keys), which dims
//     the other tokens' lines and, for a long sentence, draws all its lines;
//   - window.attnReportInit(): binds a body put in place of the page's own;
//   - #cell=[NAME-]hH-rR-cC in the address (head, row, column from 1) opens a
//     cell's popup on the heatmap of the weights when the page loads:
//     #cell=h1-r8-c5, or #cell=s7-h1-r2-c2 for the run step 7 of a lesson shows.
// The numbers come from the JSON block #attn-data (render_html_data.hpp):
// every number is the text the tables print; nothing here computes attention,
// nor any arithmetic: the popups' pieces, and whether a line says "=" or "≈",
// are written by the program (render_html_arithmetic.hpp).
(function () {
  'use strict';

  // The page's body can be replaced by another report's (the explorer of attn-explain serve
  // does so as a sentence is typed): init() then binds the new body, and the listeners on
  // the document and the window from the run before are removed.
  var controller = null;

  function init() {
    if (controller) controller.abort();
    controller = new AbortController();
    var listening = { signal: controller.signal };

    var dataElement = document.getElementById('attn-data');
    if (!dataElement) return;
    var DATA = JSON.parse(dataElement.textContent);

    // ---- the numbers

    var cache = {};

    // The matrix `key` of run `run`: {r, c, at(i, j), row(i)}, or null.
    function matrix(run, key) {
      var id = run + ':' + key;
      if (id in cache) return cache[id];
      var m = DATA.runs[run] && DATA.runs[run].m[key];
      var out = null;
      if (m) {
        var v = m.v.split(' ');
        out = {
          r: m.r, c: m.c,
          at: function (i, j) { return v[i * m.c + j]; },
          row: function (i) { return v.slice(i * m.c, (i + 1) * m.c); }
        };
      }
      cache[id] = out;
      return out;
    }

    // What a run's page says besides its numbers (render_html_arithmetic.hpp).
    function said(run, key) { return DATA.runs[run].t[key]; }

    // The flags of a cell: which lines say "≈" (render_html_arithmetic.hpp's CellFlag).
    var SCORE = 1, SCALED = 2, DIVISION = 4, RENORM = 8, DROPOUT = 16;

    // ---- the popup

    var popup = document.createElement('div');
    popup.className = 'popup';
    popup.id = 'attn-popup';
    popup.setAttribute('role', 'tooltip');
    popup.hidden = true;
    document.body.appendChild(popup);
    var pinned = false, shownFor = null;

    function quoted(run, j) { return '"' + DATA.runs[run].tokens[j] + '"'; }

    // The lines of the popup of cell (i, j) of head h: [kind, text] pairs. The
    // pieces, and whether each line says "=" or "≈", come from the page's data.
    function arithmetic(run, h, i, j) {
      var R = DATA.runs[run], p = 'h' + h + '.';
      var lines = [];
      var n = R.tokens.length, name = '(' + (i + 1) + ',' + (j + 1) + ')';
      var flags = parseInt(said(run, p + 'f').charAt(i * n + j), 32);
      var rowRounded = said(run, p + 'sr').charAt(i) === '1';
      var eq = function (flag) { return flags & flag ? ' ≈ ' : ' = '; };

      var q = matrix(run, p + 'qf').row(i), k = matrix(run, p + 'kf').row(j), terms = [];
      for (var t = 0; t < q.length; t++) terms.push(q[t] === '…' ? '…' : q[t] + '×' + k[t]);
      var score = matrix(run, p + 's').at(i, j);
      lines.push(['score', 'ω' + name + ' = q(' + quoted(run, i) + ')·k(' + quoted(run, j) + ') = ' + terms.join(' + ') +
        eq(SCORE) + score + said(run, p + 'tn')]);
      var input = score;
      if (R.scale) {
        input = matrix(run, p + 'c').at(i, j);
        lines.push(['scaled', 'ω / √d_k = ' + score + ' / ' + matrix(run, p + 'd').at(0, 0) + eq(SCALED) + input]);
      }
      var masked = R.causal === 'inf' && j > i;
      var leftOut = R.softmax === 'sum' && R.causal === 'inf' && j > i;
      var e = matrix(run, p + 'e'), z = matrix(run, p + 'z').at(0, i);
      if (masked) {
        lines.push(['mask', 'masked: ' + quoted(run, j) + ' comes after ' + quoted(run, i) +
          ', so its score is -inf' + (R.softmax === 'sum' ? ' and it is left out of the sum' : ' and exp(-inf) = 0')]);
      } else if (R.softmax === 'stable') {
        var max = matrix(run, p + 'mx').at(0, i);
        lines.push(['exp', 'exp(s − max) = exp(' + input + ' − ' + (max.charAt(0) === '-' ? '(' + max + ')' : max) + ') = ' + e.at(i, j)]);
      } else if (R.softmax === 'naive') {
        lines.push(['exp', 'exp(s) = exp(' + input + ') = ' + e.at(i, j)]);
      }
      lines.push(['sum', said(run, p + 'sum')[i]]);

      var weight = matrix(run, p + 'w').at(i, j);
      if (R.causal === 'renorm') {
        var before = matrix(run, p + 'sw').at(i, j);  // the softmax's weight, before the mask
        lines.push(['weight', 'softmax' + name + ' = ' + e.at(i, j) + ' / ' + z + eq(DIVISION) + before]);
        if (j > i) {
          lines.push(['renorm', 'in the future: zeroed, α' + name + ' = ' + weight]);
        } else {
          var kept = matrix(run, p + 'rz').at(0, i);
          lines.push(['renorm', 'renormalised: α' + name + ' = ' + before + ' / ' + kept + eq(RENORM) +
            weight + '  (' + kept + ': the sum of the kept weights of the row)']);
        }
      } else if (leftOut) {
        lines.push(['weight', 'α' + name + ' = 0']);
      } else {
        lines.push(['weight', 'α' + name + ' = ' + e.at(i, j) + ' / ' + z + eq(DIVISION) + weight]);
      }
      if (R.dropout !== null) {
        lines.push(['dropout', 'after dropout (p = ' + R.dropout + '): α × mask × 1/(1 − p) = ' + matrix(run, p + 'dp').at(i, j) +
          eq(DROPOUT) + matrix(run, p + 'dw').at(i, j) + (Number(matrix(run, p + 'dm').at(i, j)) === 0 ? '  (dropped)' : '  (kept)')]);
      }
      var rounded = flags !== 0 || rowRounded;
      return { lines: lines, rounded: rounded };
    }

    // The name each kind of line gets in the popup's left column.
    var KINDS = {
      value: 'value', score: 'dot product', scaled: 'scaling', mask: 'causal mask', exp: 'exponential',
      sum: 'row sum', weight: 'division', renorm: 'renormalise', dropout: 'dropout'
    };

    function line(kind, text) {
      var row = document.createElement('div');
      row.className = 'row';
      var name = document.createElement('span');
      name.className = 'k';
      name.textContent = KINDS[kind] || kind;
      var div = document.createElement('div');
      div.className = 'l';
      div.setAttribute('data-kind', kind);
      div.textContent = text;
      row.appendChild(name);
      row.appendChild(div);
      return row;
    }

    // Fills the popup for cell (i, j) of `source` (a table or a heatmap) of run `run`.
    function fill(run, source, i, j) {
      var R = DATA.runs[run];
      var key = source.getAttribute('data-m');
      var head = source.getAttribute('data-head');
      popup.textContent = '';
      var title = document.createElement('div');
      title.className = 't';
      popup.appendChild(title);
      var m = matrix(run, key);
      if (head === null) {
        title.textContent = (source.getAttribute('aria-label') || key).replace(/,.*$/, '') + ': row ' + (i + 1) + ', column ' + (j + 1);
        popup.appendChild(line('value', m ? m.at(i, j) : ''));
        return;
      }
      var h = Number(head);
      title.textContent = quoted(run, i) + ' → ' + quoted(run, j) + (R.heads > 1 ? ', head ' + (h + 1) : '') +
        ': query ' + (i + 1) + ', key ' + (j + 1);
      if (m && !/\.w$/.test(key)) popup.appendChild(line('value', 'this cell: ' + m.at(i, j)));
      var a = arithmetic(run, h, i, j);
      for (var k = 0; k < a.lines.length; k++) popup.appendChild(line(a.lines[k][0], a.lines[k][1]));
      if (a.rounded) {
        var note = document.createElement('div');
        note.className = 'note';
        note.textContent = '≈: the equation holds for the unrounded numbers; the printed digits are rounded.';
        popup.appendChild(note);
      }
    }

    // Shows the popup next to a box given in client coordinates: under it, or
    // above it when there is no room below.
    function place(box) {
      popup.hidden = false;
      var width = popup.offsetWidth, height = popup.offsetHeight;
      var viewWidth = document.documentElement.clientWidth, viewHeight = window.innerHeight;
      var left = Math.max(4, Math.min(box.left, viewWidth - width - 8));
      var top = box.bottom + 6;
      if (top + height > viewHeight && box.top - height - 6 >= 0) top = box.top - height - 6;
      popup.style.left = (left + window.scrollX) + 'px';
      popup.style.top = (top + window.scrollY) + 'px';
    }

    // Scrolls an element into view when none of it is in view.
    function reveal(element) {
      var box = element.getBoundingClientRect();
      if (box.bottom < 0 || box.top > window.innerHeight) element.scrollIntoView({ block: 'center' });
    }

    function runOf(element) {
      var container = element.closest('.run');
      return container ? Number(container.getAttribute('data-run')) : 0;
    }

    function show(source, i, j, box, pin) {
      if (pinned && !pin) return;
      var run = runOf(source);
      fill(run, source, i, j);
      place(box);
      pinned = !!pin;
      shownFor = { source: source, i: i, j: j };
    }

    function hide(force) {
      if (pinned && !force) return;
      popup.hidden = true;
      pinned = false;
      shownFor = null;
    }

    document.addEventListener('keydown', function (e) { if (e.key === 'Escape') hide(true); }, listening);
    document.addEventListener('click', function (e) {
      if (pinned && !popup.contains(e.target) && !e.target.closest('table.matrix td, svg.heatmap')) hide(true);
    }, listening);

    // ---- tables of scores and weights

    function cellAt(table, i, j) {
      var row = table.tBodies[0].rows[i];
      return row ? row.cells[j + 1] : null;
    }
    function indexOf(td) { return { i: td.parentElement.sectionRowIndex, j: td.cellIndex - 1 }; }

    function showCell(td, pin) {
      var table = td.closest('table');
      var at = indexOf(td);
      show(table, at.i, at.j, td.getBoundingClientRect(), pin);
      td.setAttribute('aria-describedby', popup.id);
    }

    var tables = document.querySelectorAll('table.matrix[data-head]');
    for (var t = 0; t < tables.length; t++) {
      (function (table) {
        var cells = table.querySelectorAll('td');
        for (var c = 0; c < cells.length; c++) cells[c].tabIndex = c === 0 ? 0 : -1;
        table.addEventListener('mouseover', function (e) {
          var td = e.target.closest('td');
          if (td) showCell(td, false);
        });
        table.addEventListener('mouseleave', function () { hide(false); });
        table.addEventListener('focusin', function (e) {
          var td = e.target.closest('td');
          if (td) showCell(td, false);
        });
        table.addEventListener('focusout', function () { hide(false); });
        table.addEventListener('click', function (e) {
          var td = e.target.closest('td');
          if (td) showCell(td, !(pinned && shownFor && shownFor.source === table));
        });
        table.addEventListener('keydown', function (e) {
          var td = e.target.closest('td');
          if (!td) return;
          var at = indexOf(td), next = null;
          if (e.key === 'ArrowLeft') next = cellAt(table, at.i, at.j - 1);
          else if (e.key === 'ArrowRight') next = cellAt(table, at.i, at.j + 1);
          else if (e.key === 'ArrowUp') next = cellAt(table, at.i - 1, at.j);
          else if (e.key === 'ArrowDown') next = cellAt(table, at.i + 1, at.j);
          else if (e.key === 'Enter' || e.key === ' ') { showCell(td, !pinned); e.preventDefault(); return; }
          else return;
          e.preventDefault();
          if (!next) return;
          td.tabIndex = -1;
          next.tabIndex = 0;
          pinned = false;
          next.focus();
        });
      })(tables[t]);
    }

    // ---- heatmaps

    // The heatmap's cell geometry: [left, top, cell size], rows and columns.
    function geometry(svg) {
      var g = svg.getAttribute('data-geo').split(' ').map(Number);
      var m = matrix(runOf(svg), svg.getAttribute('data-m'));
      return { left: g[0], top: g[1], cell: g[2], rows: m ? m.r : 0, cols: m ? m.c : 0 };
    }

    // The client box of cell (i, j).
    function cellBox(svg, g, i, j) {
      var ctm = svg.getScreenCTM(), pt = svg.createSVGPoint();
      pt.x = g.left + g.cell * j; pt.y = g.top + g.cell * i;
      var a = pt.matrixTransform(ctm);
      pt.x += g.cell; pt.y += g.cell;
      var b = pt.matrixTransform(ctm);
      return { left: a.x, top: a.y, right: b.x, bottom: b.y };
    }

    function cursor(svg, g, i, j) {
      var rect = svg.querySelector('rect.cursor');
      if (!rect) {
        rect = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
        rect.setAttribute('class', 'cursor');
        svg.appendChild(rect);
      }
      rect.setAttribute('x', g.left + g.cell * j);
      rect.setAttribute('y', g.top + g.cell * i);
      rect.setAttribute('width', g.cell);
      rect.setAttribute('height', g.cell);
      svg.setAttribute('data-at', i + ' ' + j);
    }

    function showHeatmapCell(svg, i, j, pin) {
      var g = geometry(svg);
      if (i < 0 || j < 0 || i >= g.rows || j >= g.cols) return;
      cursor(svg, g, i, j);
      show(svg, i, j, cellBox(svg, g, i, j), pin);
    }

    var heatmaps = document.querySelectorAll('svg.heatmap');
    for (var s = 0; s < heatmaps.length; s++) {
      (function (svg) {
        var at = function (e) {
          var g = geometry(svg), pt = svg.createSVGPoint();
          pt.x = e.clientX; pt.y = e.clientY;
          var p = pt.matrixTransform(svg.getScreenCTM().inverse());
          return { i: Math.floor((p.y - g.top) / g.cell), j: Math.floor((p.x - g.left) / g.cell) };
        };
        svg.addEventListener('mousemove', function (e) { var c = at(e); showHeatmapCell(svg, c.i, c.j, false); });
        svg.addEventListener('mouseleave', function () { hide(false); });
        svg.addEventListener('click', function (e) { var c = at(e); showHeatmapCell(svg, c.i, c.j, !pinned); });
        svg.addEventListener('focus', function () {
          var c = (svg.getAttribute('data-at') || '0 0').split(' ').map(Number);
          showHeatmapCell(svg, c[0], c[1], false);
        });
        svg.addEventListener('blur', function () { hide(false); });
        svg.addEventListener('keydown', function (e) {
          var c = (svg.getAttribute('data-at') || '0 0').split(' ').map(Number);
          var moves = { ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [-1, 0], ArrowDown: [1, 0] };
          if (e.key === 'Enter' || e.key === ' ') { showHeatmapCell(svg, c[0], c[1], !pinned); e.preventDefault(); return; }
          if (!moves[e.key]) return;
          e.preventDefault();
          pinned = false;
          showHeatmapCell(svg, c[0] + moves[e.key][0], c[1] + moves[e.key][1], false);
        });
      })(heatmaps[s]);
    }

    // ---- line views

    function select(svg, i) {
      var groups = svg.querySelectorAll('g.q');
      var extra = svg.querySelectorAll('path.extra');
      for (var x = 0; x < extra.length; x++) extra[x].remove();
      for (var k = 0; k < groups.length; k++) groups[k].classList.toggle('sel', k === i);
      svg.classList.toggle('has-sel', i >= 0);
      if (i < 0) { svg.removeAttribute('data-sel'); return; }
      svg.setAttribute('data-sel', i);
      if (svg.getAttribute('data-all') === '1') return;
      // A long sentence: the selected token's every line, from the numbers.
      var w = matrix(runOf(svg), 'h' + svg.getAttribute('data-head') + '.w');
      var geo = svg.getAttribute('data-geo').split(' ').map(Number), largest = Number(svg.getAttribute('data-max'));
      var y = function (r) { return 4 + geo[2] * r + Math.floor(geo[2] / 2); };
      for (var j = 0; j < w.c; j++) {
        var o = Number(w.at(i, j)) / largest;
        if (!(o >= 0.01)) continue;
        var path = document.createElementNS('http://www.w3.org/2000/svg', 'path');
        path.setAttribute('class', 'extra');
        path.setAttribute('d', 'M' + geo[0] + ' ' + y(i) + 'L' + geo[1] + ' ' + y(j));
        path.setAttribute('stroke-opacity', Math.min(o, 1).toFixed(2));
        groups[i].appendChild(path);
      }
    }

    var views = document.querySelectorAll('svg.lines');
    for (var v = 0; v < views.length; v++) {
      (function (svg) {
        svg.addEventListener('click', function (e) {
          var g = e.target.closest('g.q');
          if (!g) return;
          var i = Number(g.getAttribute('data-i'));
          select(svg, String(i) === svg.getAttribute('data-sel') ? -1 : i);
        });
        svg.addEventListener('keydown', function (e) {
          var n = svg.querySelectorAll('g.q').length, i = Number(svg.getAttribute('data-sel') || -1);
          if (e.key === 'ArrowDown') i = Math.min(n - 1, i + 1);
          else if (e.key === 'ArrowUp') i = Math.max(0, i - 1);
          else if (e.key === 'Escape') i = -1;
          else return;
          e.preventDefault();
          select(svg, i);
        });
        var chosen = svg.querySelector('g.q.sel');
        if (chosen) select(svg, Number(chosen.getAttribute('data-i')));
      })(views[v]);
    }

    // ---- #cell=[NAME-]hH-rR-cC

    function openFromAddress() {
      var m = /^#cell=(?:([a-z]\d+)-)?h(\d+)-r(\d+)-c(\d+)$/.exec(decodeURIComponent(location.hash));
      if (!m) return;
      var container = m[1] ? document.querySelector('.run[data-name="' + m[1] + '"]') : document.querySelector('.run');
      if (!container) return;
      var key = 'h' + (Number(m[2]) - 1) + '.w', i = Number(m[3]) - 1, j = Number(m[4]) - 1;
      var view = container.querySelector('svg.lines[data-head="' + (Number(m[2]) - 1) + '"]');
      if (view && i < view.querySelectorAll('g.q').length) select(view, i);
      // The picture of the weights first (near the top), else their table.
      var svg = container.querySelector('svg.heatmap[data-m="' + key + '"]');
      if (svg) {
        reveal(svg);
        showHeatmapCell(svg, i, j, true);
        return;
      }
      var table = container.querySelector('table.matrix[data-m="' + key + '"]');
      var td = table && cellAt(table, i, j);
      if (td) {
        reveal(td);
        showCell(td, true);
      }
    }
    window.addEventListener('hashchange', openFromAddress, listening);
    openFromAddress();
  }

  window.attnReportInit = init;
  init();
})();
