/* ftcost what-if page. No cost model here: every number is looked up in the
   arrays the Python engine computed (ftcost/whatif.py), or is P + V * Q with P
   and Q from the engine (exact: the engine's cost is linear in volume). */
"use strict";
window.ftcostPage = function () {
  const D = JSON.parse(document.getElementById("ftcost-data").textContent);
  const T = D.text;
  const S = D.strategies.length;
  const H = D.horizon;
  const B = D.baseline;

  function f64(a) {
    if (a === null || a === undefined) return null;
    const bin = atob(a.data);
    const u8 = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) u8[i] = bin.charCodeAt(i);
    return { shape: a.shape, v: new Float64Array(u8.buffer) };
  }
  // Offset of an index tuple in a C-order array (last axis fastest).
  function at(arr, idx, tail) {
    let off = 0;
    for (let k = 0; k < idx.length; k++) off = off * arr.shape[k] + idx[k];
    return off * (tail || 1);
  }
  for (const s of D.strategies) {
    for (const k of ["P", "Q", "K", "line_fixed", "line_slope", "cost_per_request", "chart_cost", "break_even", "cheaper_above"]) {
      s[k] = f64(s[k]);
    }
  }

  // ---- number formats: the symbols and pattern Python's formatter uses (ftcost.i18n) ----
  const F = D.format;
  function group(intText) {
    return intText.replace(/\B(?=(\d{3})+(?!\d))/g, F.money.group);
  }
  function fixed(x, decimals) {
    const t = Math.abs(x).toFixed(decimals).split(".");
    return group(t[0]) + (decimals ? F.money.decimal + t[1] : "");
  }
  function money(x, decimals) {
    if (x === null || Number.isNaN(x)) return "-";
    const d = decimals === undefined ? 2 : decimals;
    const neg = x < 0 && fixed(x, d).replace(/[^1-9]/g, "") !== "";
    return (neg ? "-" : "") + F.money.before + fixed(x, d) + F.money.after;
  }
  function moneySmall(x) {
    if (x === 0) return money(0);
    const a = Math.abs(x);
    const d = a >= 1 ? 2 : Math.min(12, Math.max(2, -Math.floor(Math.log10(a)) + 2));
    return money(x, d);
  }
  function count(x) {
    if (x === null || Number.isNaN(x)) return "-";
    return (x < 0 ? "-" : "") + group(Math.round(Math.abs(x)).toString());
  }
  function percent(x) {
    // a negative share keeps its sign, as Python writes it (a plan dearer than the baseline, issue 13)
    const neg = x < 0 && fixed(x * 100, 1).replace(/[^1-9]/g, "") !== "";
    return (neg ? "-" : "") + F.percent.replace("{}", fixed(x * 100, 1));
  }
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, (m, k) => (k in values ? values[k] : m));
  }

  // ---- state ----
  const controls = D.controls;
  const state = controls.map((c) => c.start);
  let volume = controls[0].values[controls[0].start];

  function idxOf(list) {
    return list.map((k) => state[k]);
  }

  function cumulative() {
    const out = [];
    const vols = controls[0].values;
    for (const s of D.strategies) {
      const row = new Float64Array(H);
      if (s.stepped) {
        // Between two grid volumes: linear interpolation of the engine's values (exact at grid volumes).
        let j = 1;
        while (j < vols.length - 1 && vols[j] < volume) j++;
        const lo = vols[j - 1], hi = vols[j];
        const w = hi === lo ? 0 : (volume - lo) / (hi - lo);
        const g = state[D.growth_control];
        const a = at(s.K, [g, j - 1], H), b = at(s.K, [g, j], H);
        for (let m = 0; m < H; m++) row[m] = s.K.v[a + m] + (s.K.v[b + m] - s.K.v[a + m]) * w;
      } else {
        const p = at(s.P, idxOf(s.fixed_controls), H);
        const q = at(s.Q, idxOf(s.var_controls), H);
        for (let m = 0; m < H; m++) row[m] = s.P.v[p + m] + volume * s.Q.v[q + m];
      }
      out.push(row);
    }
    return out;
  }

  function evaluate() {
    const cum = cumulative();
    const totals = cum.map((r) => r[H - 1]);
    // Only a plan that can be carried out over the whole horizon is recommended (issue 13); when none can,
    // the best plan up to the month it stops: the one that runs longest, then the cheapest up to then.
    const until = D.strategies.map((s) => s.feasible_until);
    let best = -1;
    for (let i = 0; i < S; i++) if (until[i] >= H && (best < 0 || totals[i] < totals[best])) best = i;
    let partial = false;
    if (best < 0) {
      partial = true;
      const longest = Math.max.apply(null, until);
      for (let i = 0; i < S; i++) {
        if (longest <= 0) { if (best < 0 || totals[i] < totals[best]) best = i; continue; }
        if (until[i] === longest && (best < 0 || cum[i][longest - 1] < cum[best][longest - 1])) best = i;
      }
    }
    const rows = D.strategies.map((s, i) => {
      const cpr = s.stepped ? s.cost_per_request.v[0] : s.cost_per_request.v[at(s.cost_per_request, idxOf(s.var_controls))];
      let be = null, above = null, pay = null;
      if (i !== B) {
        const off = at(s.break_even, idxOf(s.break_even_controls));
        be = s.break_even.v[off];
        above = s.cheaper_above.v[off] > 0;
        if (Number.isNaN(be)) { be = null; above = null; }
        for (let m = 0; m < H; m++) {
          const kb = cum[B][m];
          if (cum[i][m] - kb <= D.payback_rtol * Math.max(Math.abs(kb), 1)) { pay = m + 1; break; }
        }
        // ahead for a while but dearer over the horizon: nothing is paid back (as compare's table says)
        if (totals[i] - totals[B] > D.payback_rtol * Math.max(Math.abs(totals[B]), 1)) pay = null;
      }
      return { cpr: cpr, total: totals[i], be: be, above: above, pay: pay };
    });
    return { cum: cum, totals: totals, best: best, rows: rows, partial: partial };
  }

  function breakEvenLabel(r, i) {
    if (i === B) return T.baseline_cell;
    if (r.be === null) return T.never;
    if (r.be === 0) return r.above ? T.always_cheaper : T.never;
    return fill(r.above ? T.cheaper_above : T.cheaper_below, { v: count(r.be) });
  }

  function verdict(ev) {
    const base = D.strategies[B], best = D.strategies[ev.best];
    const rb = ev.rows[B], r = ev.rows[ev.best];
    const h = H;
    if (ev.partial) {
      const u = best.feasible_until;
      if (u <= 0) return fill(T.none_at_all, { label: T.first_label });
      return fill(T.partial, { h: h, until: u, label: best.feasible_label, best: best.name, cost: money(ev.cum[ev.best][u - 1]) });
    }
    if (ev.best === B) {
      let text = fill(T.keep, { base: base.name, h: h, total: money(rb.total) });
      let w = null;
      ev.rows.forEach((x, i) => {
        if (i !== B && D.strategies[i].feasible_until >= H && x.be && x.above && (w === null || x.be < ev.rows[w].be)) w = i;
      });
      if (w !== null) text += " " + fill(T.would_pay_off, { name: D.strategies[w].name, v: count(ev.rows[w].be), vol: count(volume) });
      return text;
    }
    const saving = rb.total - r.total;
    const share = rb.total > 0 ? percent(saving / rb.total) : null;
    let text = fill(share === null ? T.cheapest_noshare : T.cheapest, {
      best: best.name, h: h, total: money(r.total), base_total: money(rb.total), base: base.name,
      saving: money(saving), share: share,
    });
    if (r.be !== null && r.be > 0) {
      const t = r.pay === 1 ? (r.above ? T.side_above_pay1 : T.side_below_pay1)
        : r.pay ? (r.above ? T.side_above_pay : T.side_below_pay) : (r.above ? T.side_above : T.side_below);
      text += " " + fill(t, { v: count(r.be), vol: count(volume), pay: r.pay });
    } else if (r.pay === 1) {
      text += " " + T.from_month_1;
    } else if (r.pay) {
      text += " " + fill(T.pays_back, { pay: r.pay });
    }
    return text;
  }

  const COLORS = D.colors;
  const chartBE = document.getElementById("chart-breakeven");
  const chartCum = document.getElementById("chart-cumulative");
  let logScale = true;

  function lineCosts() {
    // Average monthly cost at constant volume: the engine's line_fixed + V * line_slope (staircases: engine values).
    return D.strategies.map((s) => {
      if (s.stepped) return Array.from(s.chart_cost.v);
      const f = s.line_fixed.v[at(s.line_fixed, idxOf(s.fixed_controls))];
      const sl = s.line_slope.v[at(s.line_slope, idxOf(s.var_controls))];
      return D.chart_volumes.map((v) => f + v * sl);
    });
  }

  function drawBreakEven(ev) {
    const ys = lineCosts();
    const traces = D.strategies.map((s, i) => ({
      x: D.chart_volumes, y: ys[i], name: s.name, mode: "lines", type: "scatter",
      line: { color: COLORS[i % COLORS.length], width: i === ev.best ? 3.5 : 2, dash: i === B ? "dash" : "solid" },
      customdata: ys[i].map((v) => money(v)),
      hovertemplate: "%{customdata}<extra>" + s.name.replace(/</g, "&lt;") + "</extra>",
    }));
    const layout = {
      margin: { l: 70, r: 20, t: 30, b: 55 }, hovermode: "x unified", separators: F.plotly_separators,
      xaxis: { type: logScale ? "log" : "linear", title: { text: T.axis_volume }, hoverformat: ",.0f",
               dtick: logScale ? 1 : undefined, tickformat: "~s" },
      yaxis: { type: logScale ? "log" : "linear", title: { text: T.axis_monthly }, dtick: logScale ? 1 : undefined, tickformat: "~s" },
      legend: { orientation: "h", y: -0.25 },
      shapes: [{ type: "line", xref: "x", yref: "paper", x0: volume, x1: volume, y0: 0, y1: 1, line: { color: "#555", dash: "dot", width: 1 } }],
      annotations: [{ x: logScale ? Math.log10(volume) : volume, xref: "x", yref: "paper", y: 1.02, text: T.you_are_here, showarrow: false, font: { size: 11 } }],
    };
    Plotly.react(chartBE, traces, layout, { responsive: true, displaylogo: false });
  }

  function drawCumulative(ev) {
    const traces = D.strategies.map((s, i) => ({
      x: D.month_labels, y: Array.from(ev.cum[i]), name: s.name, mode: "lines", type: "scatter",
      line: { color: COLORS[i % COLORS.length], width: i === ev.best ? 3.5 : 2, dash: i === B ? "dash" : "solid" },
      customdata: Array.from(ev.cum[i]).map((v) => money(v)),
      hovertemplate: "%{customdata}<extra>" + s.name.replace(/</g, "&lt;") + "</extra>",
    }));
    const layout = {
      margin: { l: 80, r: 20, t: 30, b: 55 }, hovermode: "x unified", separators: F.plotly_separators,
      xaxis: { title: { text: T.axis_month } }, yaxis: { title: { text: T.axis_cumulative } },
      legend: { orientation: "h", y: -0.25 },
    };
    Plotly.react(chartCum, traces, layout, { responsive: true, displaylogo: false });
  }

  function setText(id, text) {
    const el = document.getElementById(id);
    if (el) el.textContent = text;
  }

  function update() {
    const ev = evaluate();
    ev.rows.forEach((r, i) => {
      setText("cpr-" + i, moneySmall(r.cpr));
      setText("total-" + i, money(r.total));
      setText("be-" + i, breakEvenLabel(r, i));
      setText("pay-" + i, i === B ? "-" : (r.pay ? String(r.pay) : T.none));
      document.getElementById("row-" + i).classList.toggle("best", i === ev.best);
    });
    setText("recommendation", verdict(ev));
    setText("cheapest-name", D.strategies[ev.best].name);
    controls.forEach((c, k) => {
      if (k === 0) return;
      setText("value-" + k, c.labels[state[k]]);
    });
    setText("value-0", count(volume));
    if (window.Plotly) {
      drawBreakEven(ev);
      drawCumulative(ev);
    }
    window.ftcostState = { volume: volume, totals: ev.totals, best: ev.best };
  }

  // ---- controls ----
  controls.forEach((c, k) => {
    const input = document.getElementById("control-" + k);
    input.addEventListener("input", () => {
      state[k] = parseInt(input.value, 10);
      if (k === 0) {
        volume = c.values[state[0]];
        document.getElementById("volume-box").value = Math.round(volume);
      }
      update();
    });
  });
  const box = document.getElementById("volume-box");
  box.addEventListener("change", () => {
    const v = parseFloat(box.value);
    if (!(v >= 0) || !Number.isFinite(v)) { box.value = Math.round(volume); return; }
    volume = v;
    const vals = controls[0].values;
    let j = 0;
    for (let i = 1; i < vals.length; i++) if (Math.abs(Math.log(vals[i] + 1) - Math.log(v + 1)) < Math.abs(Math.log(vals[j] + 1) - Math.log(v + 1))) j = i;
    state[0] = j;
    document.getElementById("control-0").value = j;
    update();
  });
  document.getElementById("scale-toggle").addEventListener("click", (e) => {
    logScale = !logScale;
    e.target.textContent = logScale ? T.to_linear : T.to_log;
    if (window.Plotly) drawBreakEven(evaluate());
  });
  document.getElementById("reset").addEventListener("click", () => {
    controls.forEach((c, k) => { state[k] = c.start; document.getElementById("control-" + k).value = c.start; });
    volume = controls[0].values[controls[0].start];
    box.value = Math.round(volume);
    update();
  });

  update();
  document.body.dataset.ready = String(performance.now());
  // The charts follow once plotly.js is unpacked (the numbers and controls work before).
  window.ftcostDrawCharts = function () {
    update();
    document.body.dataset.charts = String(performance.now());
  };
};
