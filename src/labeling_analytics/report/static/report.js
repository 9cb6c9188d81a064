/* labeling-analytics report: filters the embedded day-grain marts in the browser and draws every view.
   The data is the JSON in #report-data (see labeling_analytics/report/data.py): columns, not rows;
   days are offsets from `first_day`; day rows point into `members` by position. */
(function () {
  "use strict";

  const DATA = JSON.parse(document.getElementById("report-data").textContent);
  const MEMBERS = DATA.members;
  const DAYS = DATA.days;
  const DAY_MS = 86400000;
  const TOP_MEMBERS = 10; // more lines than this on one chart cannot be told apart
  const LABEL_CHARS = 28; // longer member names are cut on chart axes (the hover shows them whole)
  const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
  const PALETTE = [
    "#2f6fdb", "#e8772e", "#2e9d6a", "#d1495b", "#8a5cd1",
    "#1aa3b8", "#c9a227", "#e05fa5", "#6b7b8c", "#7fb341",
  ];
  const COLORS = { created: "#2f6fdb", edited: "#f0a43a", disabled: "#d1495b", restored: "#2e9d6a" };
  const PLOT_CONFIG = {
    displaylogo: false,
    responsive: true,
    modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d"],
    toImageButtonOptions: { format: "png", scale: 2 },
  };

  // ---- days: offsets from first_day, in UTC (the marts' days are calendar dates) ----
  const FIRST_MS = Date.parse(DATA.first_day + "T00:00:00Z");
  const isoOf = (day) => new Date(FIRST_MS + day * DAY_MS).toISOString().slice(0, 10);
  const offsetOf = (iso) => Math.round((Date.parse(iso + "T00:00:00Z") - FIRST_MS) / DAY_MS);
  const LAST = offsetOf(DATA.last_day);
  // ISO weeks start on Monday (as member_performance's `week` periods do)
  const weekOf = (day) => day - ((new Date(FIRST_MS + day * DAY_MS).getUTCDay() + 6) % 7);

  // ---- the performance_ratios macro (macros/measures/performance_ratios.sql): ratios of sums,
  //      null when the denominator is 0, never 0 ----
  const Ratios = {
    speed: (objects, labelingSeconds) => (labelingSeconds > 0 ? (objects * 3600) / labelingSeconds : null),
    secondsPerObject: (labelingSeconds, objects) => (objects > 0 ? labelingSeconds / objects : null),
    acceptance: (accepted, rejected) => (accepted + rejected > 0 ? accepted / (accepted + rejected) : null),
    secondsPerReview: (reviewSeconds, reviews) => (reviews > 0 ? reviewSeconds / reviews : null),
  };

  // ---- formatting ----
  const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
  const oneDecimal = new Intl.NumberFormat("en-US", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const longDate = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
  const dayName = (day) => longDate.format(new Date(FIRST_MS + day * DAY_MS));
  const fmt = {
    int: (v) => (v === null ? "—" : integer.format(v)),
    dec: (v) => (v === null ? "—" : oneDecimal.format(v)),
    hours: (seconds) => (seconds === null ? "—" : oneDecimal.format(seconds / 3600)),
    pct: (v) => (v === null ? "—" : oneDecimal.format(v * 100) + "%"),
    day: (day) => (day === null ? "—" : isoOf(day)),
  };
  // Plotly reads pseudo-HTML in its strings: member names are shown as text
  const plotText = (text) => String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const shortLabel = (text) => (text.length > LABEL_CHARS ? text.slice(0, LABEL_CHARS - 1) + "…" : text);

  const state = {
    team: DATA.teams.length === 1 ? String(DATA.teams[0]) : "all",
    from: 0,
    to: LAST,
    grain: LAST + 1 > 45 ? "week" : "day",
    plotted: null, // null: the top members by labeling time; else the members ticked in the table
    sort: { key: "labelingSeconds", dir: -1 },
  };
  let view = null;
  let renders = 0;

  // ---- aggregation: the selection's sums, per member, per day and for the funnel ----
  function compute() {
    const team = state.team === "all" ? null : Number(state.team);
    const inTeam = (teamId) => team === null || teamId === team;
    const span = state.to - state.from + 1;
    const members = new Map();
    const lifecycle = { created: zeros(span), edited: zeros(span), disabled: zeros(span), restored: zeros(span) };

    for (let row = 0; row < DAYS.member.length; row++) {
      const day = DAYS.day[row];
      const member = DAYS.member[row];
      if (day < state.from || day > state.to || !inTeam(MEMBERS.team_id[member])) continue;
      let m = members.get(member);
      if (!m) {
        m = newMember(member);
        members.set(member, m);
      }
      const events = DAYS.events[row];
      const seconds = DAYS.active_labeling_seconds[row];
      const objects = DAYS.figures_created[row];
      m.events += events;
      m.activeDays += events > 0 ? 1 : 0; // member_performance.active_days: days with an event
      if (events > 0) m.lastActive = Math.max(m.lastActive === null ? -1 : m.lastActive, day);
      m.labelingSeconds += seconds;
      m.objects += objects;
      m.submitted += DAYS.items_submitted[row];
      m.accepted += DAYS.accepted_as_labeler[row];
      m.rejected += DAYS.rejected_as_labeler[row];
      m.reviews += DAYS.reviews_performed[row];
      m.reviewSeconds += DAYS.review_seconds[row];
      m.perDay.set(day, { events, seconds, objects });
      const at = day - state.from;
      lifecycle.created[at] += objects;
      lifecycle.edited[at] += DAYS.figures_updated[row];
      lifecycle.disabled[at] += DAYS.figures_disabled[row];
      lifecycle.restored[at] += DAYS.figures_restored[row];
    }

    const list = [...members.values()];
    const namesakes = new Map();
    for (const m of list) namesakes.set(m.label, [...(namesakes.get(m.label) || []), m]);
    for (const m of list) {
      // one user in two teams is told apart by team; two people of one name, by id
      const same = namesakes.get(m.label);
      const sameUser = same.every((other) => other.userId === m.userId);
      m.display = same.length === 1 ? m.label : sameUser ? `${m.label} (team ${m.teamId})` : `${m.label} (id ${m.userId})`;
      m.speed = Ratios.speed(m.objects, m.labelingSeconds);
      m.secondsPerObject = Ratios.secondsPerObject(m.labelingSeconds, m.objects);
      m.acceptance = Ratios.acceptance(m.accepted, m.rejected);
    }

    const totals = { members: list.length };
    for (const key of ["events", "labelingSeconds", "objects", "submitted", "accepted", "rejected", "reviews", "reviewSeconds"]) {
      totals[key] = list.reduce((sum, m) => sum + m[key], 0);
    }
    totals.speed = Ratios.speed(totals.objects, totals.labelingSeconds);
    totals.secondsPerObject = Ratios.secondsPerObject(totals.labelingSeconds, totals.objects);
    totals.acceptance = Ratios.acceptance(totals.accepted, totals.rejected);
    totals.secondsPerReview = Ratios.secondsPerReview(totals.reviewSeconds, totals.reviews);
    totals.activeDays = list.reduce((sum, m) => sum + m.activeDays, 0);
    totals.lastActive = list.reduce((last, m) => (m.lastActive !== null && (last === null || m.lastActive > last) ? m.lastActive : last), null);

    return {
      span,
      members: list,
      totals,
      lifecycle,
      funnel: sumByTeamAndDay(DATA.review, inTeam),
      figures: sumByTeamAndDay(DATA.figures, inTeam),
    };
  }

  function newMember(index) {
    return {
      index,
      teamId: MEMBERS.team_id[index],
      userId: MEMBERS.user_id[index],
      label: MEMBERS.label[index],
      events: 0, activeDays: 0, lastActive: null, labelingSeconds: 0, objects: 0, submitted: 0,
      accepted: 0, rejected: 0, reviews: 0, reviewSeconds: 0,
      perDay: new Map(),
    };
  }

  function zeros(n) {
    return new Array(Math.max(n, 0)).fill(0);
  }

  // Sums every count column of a {team_id, day, ...counts} table over the selection.
  function sumByTeamAndDay(table, inTeam) {
    const sums = {};
    const keys = Object.keys(table).filter((key) => key !== "team_id" && key !== "day");
    for (const key of keys) sums[key] = 0;
    for (let row = 0; row < table.day.length; row++) {
      const day = table.day[row];
      if (day < state.from || day > state.to || !inTeam(table.team_id[row])) continue;
      for (const key of keys) sums[key] += table[key][row];
    }
    return sums;
  }

  // The time charts' buckets: days, or ISO weeks (cut to the period at its ends).
  function buckets() {
    const starts = [];
    for (let day = state.from; day <= state.to; day++) {
      const start = state.grain === "week" ? Math.max(weekOf(day), state.from) : day;
      if (starts[starts.length - 1] !== start) starts.push(start);
    }
    const bucketOf = (day) => starts.indexOf(state.grain === "week" ? Math.max(weekOf(day), state.from) : day);
    return { starts, bucketOf };
  }

  // The members drawn on the time charts, each with its colour.
  function plottedMembers(members) {
    let chosen;
    if (state.plotted !== null) {
      chosen = members.filter((m) => state.plotted.has(m.index));
    }
    if (!chosen || chosen.length === 0) {
      chosen = members
        .filter((m) => m.labelingSeconds > 0)
        .sort((a, b) => b.labelingSeconds - a.labelingSeconds || a.index - b.index)
        .slice(0, TOP_MEMBERS);
    } else {
      chosen.sort((a, b) => b.labelingSeconds - a.labelingSeconds || a.index - b.index);
    }
    chosen.forEach((m, i) => (m.color = PALETTE[i % PALETTE.length]));
    return chosen;
  }

  // ---- charts ----
  function layout(extra) {
    const base = {
      font: { family: FONT, size: 12, color: "#1d2430" },
      margin: { l: 56, r: 16, t: 8, b: 36 },
      paper_bgcolor: "#ffffff",
      plot_bgcolor: "#ffffff",
      hoverlabel: { font: { family: FONT } },
      xaxis: { gridcolor: "#eef1f5", linecolor: "#d5dbe3", zeroline: false, automargin: true },
      yaxis: { gridcolor: "#eef1f5", linecolor: "#d5dbe3", zeroline: false, automargin: true },
      showlegend: false,
    };
    for (const [key, value] of Object.entries(extra || {})) {
      base[key] = value && typeof value === "object" && !Array.isArray(value) && base[key] ? { ...base[key], ...value } : value;
    }
    return base;
  }

  // A date axis for `count` buckets of the grain: one tick per bucket while they fit, else plotly's choice.
  function dateAxis(count, grain = state.grain) {
    const axis = { type: "date", tickformat: count > 120 && grain === "day" ? "%b %Y" : "%-d %b", hoverformat: grain === "week" ? "week of %-d %b %Y" : "%a %-d %b %Y" };
    if (count <= 14) {
      axis.dtick = (grain === "week" ? 7 : 1) * DAY_MS;
      axis.tick0 = isoOf(grain === "week" ? weekOf(state.from) : state.from); // weeks: on Mondays, not plotly's Sundays
    }
    return axis;
  }

  // Draws a chart, or says why there is nothing to draw.
  function draw(id, traces, chartLayout, emptyMessage, fresh = false) {
    const element = document.getElementById(id);
    const card = element.closest(".card");
    const empty = card.querySelector(".empty");
    if (emptyMessage) {
      window.Plotly.purge(element);
      card.classList.add("is-empty");
      empty.hidden = false;
      empty.textContent = emptyMessage;
      return Promise.resolve();
    }
    card.classList.remove("is-empty");
    empty.hidden = true;
    // a Sankey updated in place keeps nodes of the previous data on screen: draw it anew
    if (fresh) window.Plotly.purge(element);
    return window.Plotly.react(element, traces, chartLayout, PLOT_CONFIG);
  }

  function drawHeatmap(v) {
    const members = [...v.members].sort((a, b) => b.events - a.events || a.display.localeCompare(b.display));
    if (members.length === 0) return draw("chart-activity-heatmap", [], {}, "No member activity in this selection.");
    const x = [];
    for (let day = state.from; day <= state.to; day++) x.push(isoOf(day));
    // no event that day: an empty (grey) cell rather than the lightest colour
    const events = members.map((m) => x.map((_, i) => {
      const cell = m.perDay.get(state.from + i);
      return cell && cell.events > 0 ? cell.events : null;
    }));
    // colour on a log scale: an annotator's 1,500 events a day would wash out a manager's 5
    const z = events.map((row) => row.map((count) => (count === null ? null : Math.log10(count))));
    const top = z.reduce((most, row) => row.reduce((m, value) => (value === null ? m : Math.max(m, value)), most), 1);
    const rowHeight = members.length > 40 ? 16 : 24;
    const MARGIN_TOP = v.span <= 21 ? 58 : 44; // two lines of day labels above
    const height = Math.max(members.length * rowHeight + MARGIN_TOP + 10, 200);
    const barLength = Math.min(260, height - MARGIN_TOP - 10);
    const steps = barLength < 180 ? [1, 10, 100, 1000, 10000, 100000] : [1, 3, 10, 30, 100, 300, 1000, 3000, 10000, 30000, 100000];
    const ticks = steps.filter((t) => Math.log10(t) <= top + 1e-9);
    const trace = {
      type: "heatmap",
      x,
      y: members.map(category),
      z,
      zmin: 0,
      zmax: top,
      customdata: members.map((m, row) => x.map((_, i) => [plotText(m.display), events[row][i]])),
      colorscale: [[0, "#dbe7fb"], [0.35, "#86aef0"], [0.7, "#2f6fdb"], [1, "#163a7a"]],
      xgap: 2,
      ygap: 2,
      hoverongaps: false,
      hovertemplate: "%{customdata[0]}<br>%{x|%a %-d %b %Y}<br><b>%{customdata[1]:,}</b> events<extra></extra>",
      // at the top, at most 260 px: in a tall, scrolled heatmap a centred bar would be out of sight
      colorbar: {
        title: { text: "events (log)", side: "right" }, thickness: 12, outlinewidth: 0,
        tickmode: "array", tickvals: ticks.map(Math.log10), ticktext: ticks.map(fmt.int),
        lenmode: "pixels", len: barLength, y: 1, yanchor: "top",
      },
    };
    return draw("chart-activity-heatmap", [trace], layout({
      height,
      margin: { l: 10, r: 10, t: MARGIN_TOP, b: 10 },
      plot_bgcolor: "#f1f3f6",
      // weekday names while every day has its tick: weekends stand out
      xaxis: {
        ...dateAxis(v.span, "day"), ...(v.span <= 21 ? { dtick: DAY_MS, tickformat: "%a<br>%-d %b" } : {}),
        side: "top", showgrid: false, linecolor: "#ffffff", ticklabelstandoff: 4,
      },
      yaxis: { autorange: "reversed", showgrid: false, linecolor: "#ffffff", ticks: "", ...memberTicks(members) },
    }));
  }

  // Members are categories by position, shown by name: two names may be cut to the same text.
  const category = (m) => `member ${m.index}`;
  function memberTicks(members) {
    return { type: "category", tickmode: "array", tickvals: members.map(category), ticktext: members.map((m) => plotText(shortLabel(m.display))) };
  }

  function plottedNote(plotted, candidates, what) {
    if (plotted.length === 0) return "";
    const chosen = state.plotted !== null && plotted.some((m) => state.plotted.has(m.index));
    if (chosen) return `${what} Showing the ${plotted.length} member(s) ticked in the members table.`;
    if (candidates > plotted.length) {
      return `${what} Showing the top ${plotted.length} of ${candidates} members by labeling hours; tick others in the members table.`;
    }
    return what;
  }

  function drawTimeCharts(v) {
    const plotted = plottedMembers(v.members);
    const labelers = v.members.filter((m) => m.labelingSeconds > 0).length;
    const grain = state.grain === "week" ? "ISO week" : "day";
    const { starts, bucketOf } = buckets();
    const x = starts.map(isoOf);
    const series = plotted.map((m) => {
      const seconds = zeros(starts.length);
      const objects = zeros(starts.length);
      for (const [day, cell] of m.perDay) {
        const at = bucketOf(day);
        seconds[at] += cell.seconds;
        objects[at] += cell.objects;
      }
      return { m, seconds, objects };
    });
    const mode = starts.length > 60 ? "lines" : "lines+markers";
    const legend = { orientation: "h", x: 0, y: -0.16, yanchor: "top", font: { size: 11 } };
    const weekNote = state.grain === "week" ? " Weeks cut by the period hold only its days." : "";

    document.getElementById("hint-labeling-hours").textContent = plottedNote(
      plotted, labelers, `Active labeling hours per member per ${grain} (the platform's 5-minute idle rule).${weekNote}`);
    const hours = series.map(({ m, seconds }) => ({
      type: "scatter",
      mode,
      name: plotText(shortLabel(m.display)),
      x,
      y: seconds.map((s) => s / 3600),
      line: { color: m.color, width: 2 },
      marker: { size: 5 },
      hovertemplate: `${plotText(m.display)}: %{y:.2f} h<extra></extra>`,
    }));
    const timeLayout = (title) => layout({
      height: 360,
      showlegend: true,
      legend,
      hovermode: "x unified",
      margin: { l: 56, r: 16, t: 8, b: 30 },
      xaxis: dateAxis(starts.length),
      yaxis: { title: { text: title, standoff: 8 }, rangemode: "tozero" },
    });
    const first = draw("chart-labeling-hours", hours, timeLayout("hours"),
      plotted.length === 0 ? "No labeling time in this selection." : null);

    // speed only for members who created objects: a reviewer's flat zero line would hide the others
    const speedSeries = series.filter(({ m }) => m.objects > 0);
    document.getElementById("hint-labeling-speed").textContent = speedSeries.length === 0 ? "" :
      `Objects created per active labeling hour (objects × 3600 / labeling seconds), per ${grain}; gaps: no labeling time.` +
      (speedSeries.length < plotted.length ? " Members without objects are left out." : "");
    const speed = speedSeries.map(({ m, seconds, objects }) => ({
      type: "scatter",
      mode,
      name: plotText(shortLabel(m.display)),
      x,
      y: seconds.map((s, i) => Ratios.speed(objects[i], s)),
      connectgaps: false,
      line: { color: m.color, width: 2 },
      marker: { size: 5 },
      hovertemplate: `${plotText(m.display)}: %{y:.1f} objects/h<extra></extra>`,
    }));
    const second = draw("chart-labeling-speed", speed, timeLayout("objects per hour"),
      speedSeries.length === 0 ? "No objects created in this selection." : null);
    return Promise.all([first, second]);
  }

  function drawAcceptance(v) {
    const judged = v.members.filter((m) => m.acceptance !== null)
      .sort((a, b) => b.acceptance - a.acceptance || (b.accepted + b.rejected) - (a.accepted + a.rejected));
    const without = v.members.filter((m) => m.submitted > 0 && m.acceptance === null).length;
    document.getElementById("hint-acceptance-rate").textContent = judged.length === 0 ? "" :
      "Accepting verdicts / all verdicts on each member's submitted items, summed over the period." +
      (without ? ` ${without} member(s) with submissions but no verdict yet are not shown.` : "") +
      " The dotted line is the selection's rate: green bars at or above it, orange below.";
    if (judged.length === 0) {
      return draw("chart-acceptance-rate", [], {}, "No review verdicts on items of this selection in this period.");
    }
    const trace = {
      type: "bar",
      orientation: "h",
      y: judged.map(category),
      x: judged.map((m) => m.acceptance * 100),
      text: judged.map((m) => `${fmt.pct(m.acceptance)}  (${fmt.int(m.accepted)}/${fmt.int(m.accepted + m.rejected)})`),
      textposition: "inside",
      insidetextanchor: "end",
      textfont: { color: "#ffffff", size: 11 },
      marker: { color: judged.map((m) => (m.acceptance >= v.totals.acceptance ? "#2e9d6a" : "#e8772e")) },
      customdata: judged.map((m) => [plotText(m.display), m.accepted, m.rejected]),
      hovertemplate: "%{customdata[0]}<br>%{x:.1f}% accepted<br>%{customdata[1]:,} accepted, %{customdata[2]:,} rejected<extra></extra>",
      cliponaxis: false,
    };
    const rate = v.totals.acceptance * 100;
    return draw("chart-acceptance-rate", [trace], layout({
      height: Math.max(judged.length * 30 + 80, 140),
      margin: { l: 10, r: 20, t: 24, b: 36 },
      bargap: 0.25,
      xaxis: { range: [0, 100], ticksuffix: "%", title: { text: "acceptance rate" } },
      yaxis: { autorange: "reversed", showgrid: false, ...memberTicks(judged) },
      shapes: [{ type: "line", x0: rate, x1: rate, y0: 0, y1: 1, yref: "paper", line: { color: "#1d2430", width: 1.5, dash: "dot" } }],
      annotations: [{ x: rate, y: 1, yref: "paper", yanchor: "bottom", text: `selection ${fmt.pct(v.totals.acceptance)}`, showarrow: false, font: { size: 11, color: "#5f6b7a" } }],
    }));
  }

  function drawFunnel(v) {
    const f = v.funnel;
    const facts = document.getElementById("review-facts");
    facts.replaceChildren();
    document.getElementById("hint-review-funnel").textContent = f.submitted === 0 ? "" :
      "Items first submitted in the period, followed to their latest status (image_review_outcomes). " +
      "Reworked: rejected, then submitted again.";
    if (f.submitted === 0) return draw("chart-review-funnel", [], {}, "No items were first submitted in this selection and period.");
    // three steps, placed by hand: plotly's automatic layout pushes every end node to the right edge
    const nodes = [
      { id: "submitted", label: "Submitted", value: f.submitted, color: "#5f6b7a", column: 0 },
      { label: "Accepted, never rejected", value: f.accepted_never_rejected, color: "#2e9d6a", column: 1, from: "submitted" },
      { label: "Not accepted yet", value: f.submitted - f.accepted_never_rejected - f.rejected, color: "#aab3bf", column: 1, from: "submitted" },
      { id: "rejected", label: "Rejected at least once", value: f.rejected, color: "#d1495b", column: 1, from: "submitted" },
      { label: "Reworked (resubmitted)", value: f.reworked, color: "#e8772e", column: 2, from: "rejected" },
      { label: "Not resubmitted", value: f.rejected - f.reworked, color: "#aab3bf", column: 2, from: "rejected" },
    ].filter((node) => node.value > 0);
    const COLUMN_X = [0.001, 0.45, 0.999];
    const GAP = 0.05; // between nodes of a column, as a share of the height
    const offsets = [0, 0, null];
    for (const node of nodes) {
      node.height = (node.value / f.submitted) * (1 - 2 * GAP);
      // the rework step starts level with the rejected items it splits
      if (offsets[node.column] === null) {
        const parent = nodes.find((other) => other.id === node.from);
        offsets[node.column] = parent.y - parent.height / 2;
      }
      node.y = offsets[node.column] + node.height / 2;
      offsets[node.column] += node.height + GAP;
    }
    // a column that would run past the bottom moves up
    for (const node of nodes) {
      const overflow = offsets[node.column] - GAP - 1;
      node.y = Math.min(Math.max(node.y - Math.max(overflow, 0), 0.001), 0.999);
    }
    // a node's link comes from its parent: every node but "Submitted" has one
    const links = nodes.filter((node) => node.from !== undefined);
    const share = (n) => fmt.pct(n / f.submitted);
    const trace = {
      type: "sankey",
      arrangement: "fixed",
      valueformat: ",d",
      node: {
        // two lines: a step's label must fit between its node and the next step's labels
        label: nodes.map((node) => `${node.label}<br>${fmt.int(node.value)} (${share(node.value)})`),
        color: nodes.map((node) => node.color),
        x: nodes.map((node) => COLUMN_X[node.column]),
        y: nodes.map((node) => node.y),
        pad: 16,
        thickness: 18,
        line: { width: 0 },
        hovertemplate: "%{label}<extra></extra>",
      },
      link: {
        source: links.map((node) => nodes.findIndex((other) => other.id === node.from)),
        target: links.map((node) => nodes.indexOf(node)),
        value: links.map((node) => node.value),
        color: links.map((node) => hexToRgba(node.color, 0.3)),
        hovertemplate: "%{source.label} → %{target.label}<extra></extra>",
      },
    };
    const fact = (name, value) => {
      const row = document.createElement("div");
      const term = document.createElement("dt");
      const detail = document.createElement("dd");
      term.textContent = name;
      detail.textContent = value;
      row.append(term, detail);
      facts.append(row);
    };
    fact("accepted now", share(f.accepted));
    fact("first-pass acceptance", f.first_pass_decided ? `${fmt.pct(f.first_pass_accepted / f.first_pass_decided)} of ${fmt.int(f.first_pass_decided)} decided` : "—");
    fact("rejected items reworked", f.rejected ? fmt.pct(f.reworked / f.rejected) : "—");
    fact("reworked items accepted now", f.reworked ? fmt.pct(f.reworked_accepted / f.reworked) : "—");
    return draw("chart-review-funnel", [trace], layout({ height: 340, margin: { l: 8, r: 8, t: 10, b: 24 }, font: { family: FONT, size: 12, color: "#1d2430" } }), null, true);
  }

  function hexToRgba(hex, alpha) {
    const value = parseInt(hex.slice(1), 16);
    return `rgba(${(value >> 16) & 255}, ${(value >> 8) & 255}, ${value & 255}, ${alpha})`;
  }

  function drawLifecycle(v) {
    const { starts, bucketOf } = buckets();
    const kinds = [["created", "Created"], ["edited", "Edited (updated)"], ["disabled", "Disabled"], ["restored", "Restored"]];
    const sums = {};
    for (const [kind] of kinds) {
      sums[kind] = zeros(starts.length);
      v.lifecycle[kind].forEach((count, i) => (sums[kind][bucketOf(state.from + i)] += count));
    }
    const any = kinds.some(([kind]) => sums[kind].some((count) => count > 0));
    const g = v.figures;
    const grain = state.grain === "week" ? "ISO week" : "day";
    document.getElementById("hint-figure-lifecycle").textContent = !any ? "" :
      `Figure actions per ${grain} by the selection's members (user_daily_activity).` +
      (g.created ? ` Of the ${fmt.int(g.created)} figures created in the period (figure_lifecycle), ` +
        `${fmt.pct(g.edited / g.created)} were edited later, ${fmt.pct(g.disabled / g.created)} are disabled now ` +
        `and ${fmt.pct(g.restored / g.created)} were restored.` : "");
    const traces = kinds.map(([kind, name]) => ({
      type: "bar",
      name,
      x: starts.map(isoOf),
      y: sums[kind],
      marker: { color: COLORS[kind] },
      hovertemplate: `${name}: %{y:,}<extra></extra>`,
    }));
    return draw("chart-figure-lifecycle", traces, layout({
      height: 340,
      barmode: "stack",
      bargap: 0.2,
      showlegend: true,
      hovermode: "x unified",
      legend: { orientation: "h", x: 0, y: 1.02, yanchor: "bottom", traceorder: "normal" },
      margin: { l: 60, r: 16, t: 30, b: 36 },
      xaxis: dateAxis(starts.length),
      yaxis: { title: { text: "figure actions", standoff: 8 }, rangemode: "tozero" },
    }), any ? null : "No figure actions in this selection and period.");
  }

  // ---- members table ----
  const COLUMNS = [
    { key: "plot", label: "Plot", sortable: false },
    { key: "display", label: "Member", text: true },
    { key: "teamId", label: "Team", allTeams: true },
    { key: "activeDays", label: "Active days", format: fmt.int },
    { key: "labelingSeconds", label: "Labeling h", format: fmt.hours, title: "Active labeling hours" },
    { key: "objects", label: "Objects", format: fmt.int, title: "Figures created" },
    { key: "speed", label: "Objects / h", format: fmt.dec, title: "objects × 3600 / labeling seconds" },
    { key: "secondsPerObject", label: "s / object", format: fmt.dec, title: "labeling seconds / objects" },
    { key: "submitted", label: "Submitted", format: fmt.int, title: "Items submitted, resubmissions included" },
    { key: "acceptance", label: "Acceptance", format: fmt.pct, title: "accepted / (accepted + rejected) verdicts on the member's items" },
    { key: "reviews", label: "Reviews", format: fmt.int, title: "Verdicts given as a reviewer" },
    { key: "reviewSeconds", label: "Review h", format: fmt.hours, title: "Hours in review visits" },
    { key: "lastActive", label: "Last active", format: fmt.day, title: "Last day with an event in the period" },
  ];

  function visibleColumns() {
    return COLUMNS.filter((c) => !c.allTeams || (state.team === "all" && DATA.teams.length > 1));
  }

  function renderTable(v, plotted) {
    const table = document.getElementById("members-table");
    const columns = visibleColumns();
    const head = document.createElement("tr");
    for (const column of columns) {
      const th = document.createElement("th");
      th.textContent = column.label;
      th.dataset.key = column.key;
      if (column.title) th.title = column.title;
      if (column.text || column.key === "plot") th.className = "text";
      if (column.sortable !== false) {
        th.classList.add("sortable");
        th.tabIndex = 0;
        if (state.sort.key === column.key) th.setAttribute("aria-sort", state.sort.dir > 0 ? "ascending" : "descending");
      }
      head.append(th);
    }
    table.tHead.replaceChildren(head);

    const plottedColor = new Map(plotted.map((m) => [m.index, m.color]));
    const { key, dir } = state.sort;
    const rows = [...v.members].sort((a, b) => {
      const x = a[key];
      const y = b[key];
      if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1; // no value: last, either way
      const order = typeof x === "string" ? x.localeCompare(y) : x - y;
      return order * dir || a.index - b.index;
    });
    const body = document.createElement("tbody");
    if (rows.length === 0) {
      const tr = document.createElement("tr");
      tr.className = "empty-row";
      const td = document.createElement("td");
      td.colSpan = columns.length;
      td.textContent = "No data for this selection: no member has activity in this team and period.";
      tr.append(td);
      body.append(tr);
    }
    for (const m of rows) {
      const tr = document.createElement("tr");
      tr.dataset.member = m.index;
      tr.dataset.teamId = m.teamId;
      tr.dataset.userId = m.userId;
      for (const column of columns) tr.append(cell(column, m, plottedColor));
      body.append(tr);
    }
    table.tBodies[0].replaceWith(body);

    const foot = document.createElement("tr");
    if (rows.length > 0) {
      const t = { ...v.totals, display: `Total, ${fmt.int(v.totals.members)} members`, teamId: null };
      for (const column of columns) {
        // a team or a count of days has no meaningful total
        const blank = ["plot", "teamId", "activeDays"].includes(column.key);
        foot.append(blank ? document.createElement("td") : cell(column, t, null));
      }
    }
    table.tFoot.replaceChildren(foot);
  }

  function cell(column, m, plottedColor) {
    const td = document.createElement("td");
    td.dataset.key = column.key;
    if (column.key === "plot") {
      td.className = "text member-cell";
      const label = document.createElement("label");
      const box = document.createElement("input");
      box.type = "checkbox";
      box.checked = plottedColor.has(m.index);
      box.dataset.member = m.index;
      box.setAttribute("aria-label", `plot ${m.display}`);
      label.append(box);
      if (box.checked) {
        const swatch = document.createElement("span");
        swatch.className = "swatch";
        swatch.style.background = plottedColor.get(m.index);
        label.append(swatch);
      }
      td.append(label);
      return td;
    }
    const value = m[column.key];
    if (column.text) {
      td.className = "text";
      td.textContent = value;
      return td;
    }
    td.dataset.value = value === null ? "" : String(value);
    td.textContent = column.format ? column.format(value) : value === null ? "—" : String(value);
    if (value === null) td.classList.add("null");
    if (column.key === "acceptance" && value !== null) td.title = `${fmt.int(m.accepted)} accepted, ${fmt.int(m.rejected)} rejected`;
    return td;
  }

  // ---- header, KPIs, filters ----
  function teamName() {
    if (state.team !== "all") return `Team ${state.team}`;
    return DATA.teams.length === 1 ? `Team ${DATA.teams[0]}` : `All teams (${DATA.teams.length})`;
  }

  function renderHeader(v) {
    const t = v.totals;
    const subtitle = document.getElementById("report-subtitle");
    subtitle.replaceChildren();
    const strong = (text) => {
      const b = document.createElement("strong");
      b.textContent = text;
      return b;
    };
    const days = v.span === 1 ? "1 day" : `${v.span} days`;
    subtitle.append(
      strong(teamName()), " · ",
      strong(`${dayName(state.from)} – ${dayName(state.to)}`), ` (${days}) · `,
      `${fmt.int(t.members)} members with activity · ${fmt.int(t.events)} events`,
    );
    const kpis = [
      ["members", "Members with activity", t.members, fmt.int(t.members), `${fmt.int(t.activeDays)} member-days active`],
      ["events", "Events", t.events, fmt.int(t.events), "actions of any kind"],
      ["labeling-hours", "Labeling hours", t.labelingSeconds, fmt.hours(t.labelingSeconds), "active, 5-minute idle rule"],
      ["objects", "Objects created", t.objects, fmt.int(t.objects), t.speed === null ? "no labeling time" : `${fmt.dec(t.speed)} per labeling hour`],
      ["submitted", "Items submitted", t.submitted, fmt.int(t.submitted), "resubmissions included"],
      ["acceptance", "Acceptance rate", t.acceptance, fmt.pct(t.acceptance), `${fmt.int(t.accepted)} accepted / ${fmt.int(t.rejected)} rejected`],
      ["reviews", "Reviews performed", t.reviews, fmt.int(t.reviews),
        `${fmt.hours(t.reviewSeconds)} h in review` + (t.secondsPerReview === null ? "" : `, ${fmt.dec(t.secondsPerReview)} s each`)],
    ];
    const container = document.getElementById("kpis");
    container.replaceChildren(...kpis.map(([id, label, raw, text, sub]) => {
      const card = document.createElement("div");
      card.className = "kpi";
      card.id = `kpi-${id}`;
      card.dataset.value = raw === null ? "" : String(raw);
      const l = document.createElement("div");
      l.className = "label";
      l.textContent = label;
      const value = document.createElement("div");
      value.className = "value";
      value.textContent = t.members === 0 ? "—" : text;
      const s = document.createElement("div");
      s.className = "sub";
      s.textContent = t.members === 0 ? "no data for this selection" : sub;
      card.append(l, value, s);
      return card;
    }));
  }

  function renderStatic() {
    const built = new Date(DATA.generated_at);
    const builtText = `${built.toISOString().slice(0, 16).replace("T", " ")} UTC`;
    document.getElementById("report-build").textContent =
      `Built ${builtText} from ${DATA.source.database} (schema ${DATA.source.schema})` +
      (DATA.source.last_event_at ? ` · data through ${DATA.source.last_event_at.replace("T", " ")} UTC` : "");
    document.getElementById("report-footer").textContent =
      `labeling-analytics report · ${DATA.first_day} to ${DATA.last_day} · teams ${DATA.teams.join(", ")} · ` +
      "numbers from the dbt marts user_daily_activity, users, image_review_outcomes and figure_lifecycle; " +
      "ratios as in the performance_ratios macro. Days are the members' days (UTC unless configured).";
    document.getElementById("filters-note").textContent =
      `Data from ${dayName(0)} to ${dayName(LAST)}; presets count back from its last day.`;

    const team = document.getElementById("filter-team");
    const counts = new Map();
    MEMBERS.team_id.forEach((id) => counts.set(id, (counts.get(id) || 0) + 1));
    const options = DATA.teams.length > 1 ? [["all", `All teams (${DATA.teams.length})`]] : [];
    for (const id of DATA.teams) options.push([String(id), `Team ${id} (${counts.get(id) || 0} members)`]);
    team.replaceChildren(...options.map(([value, text]) => new Option(text, value)));
    for (const input of [document.getElementById("filter-from"), document.getElementById("filter-to")]) {
      input.min = DATA.first_day;
      input.max = DATA.last_day;
    }
  }

  function syncControls() {
    document.getElementById("filter-team").value = state.team;
    document.getElementById("filter-from").value = isoOf(state.from);
    document.getElementById("filter-to").value = isoOf(state.to);
    document.getElementById("filter-grain").value = state.grain;
    // the narrowest preset that gives the period (data shorter than 30 days: "all", not "last 30")
    let active = null;
    for (const button of document.querySelectorAll("[data-preset]")) {
      const preset = button.dataset.preset;
      const from = preset === "all" ? 0 : LAST - Number(preset) + 1;
      if (active === null && state.to === LAST && state.from === from) active = button;
      button.classList.remove("active");
    }
    if (active === null && state.to === LAST && state.from === 0) active = document.querySelector('[data-preset="all"]');
    if (active !== null) active.classList.add("active");
  }

  // The filters live in the URL's #fragment, so a link or a reload shows the same selection.
  function readHash() {
    const params = new URLSearchParams(window.location.hash.slice(1));
    const team = params.get("team");
    if (team && (team === "all" ? DATA.teams.length > 1 : DATA.teams.includes(Number(team)))) state.team = team;
    const from = parseDay(params.get("from"));
    const to = parseDay(params.get("to"));
    if (from !== null) state.from = from;
    if (to !== null) state.to = to;
    if (state.from > state.to) [state.from, state.to] = [state.to, state.from];
    if (["day", "week"].includes(params.get("grain"))) state.grain = params.get("grain");
  }

  function writeHash() {
    const params = new URLSearchParams({ team: state.team, from: isoOf(state.from), to: isoOf(state.to), grain: state.grain });
    try {
      window.history.replaceState(null, "", `#${params}`);
    } catch (error) {
      // some browsers refuse history changes on file: pages; the filters still work
    }
  }

  function parseDay(text) {
    if (!text || !/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(Date.parse(text))) return null;
    return Math.min(Math.max(offsetOf(text), 0), LAST);
  }

  // Every view says the same thing when the team did nothing in the period.
  function drawNothing() {
    const message = `No data for this selection: nothing recorded for ${teamName()} from ${dayName(state.from)} to ${dayName(state.to)}.`;
    for (const hint of document.querySelectorAll(".card .hint[id]")) hint.textContent = "";
    document.getElementById("review-facts").replaceChildren();
    return [...document.querySelectorAll(".card .chart")].map((chart) => draw(chart.id, [], {}, message));
  }

  function render() {
    syncControls();
    writeHash();
    view = compute();
    const plotted = plottedMembers(view.members);
    renderHeader(view);
    renderTable(view, plotted);
    const nothing = view.members.length === 0 && view.funnel.submitted === 0 && view.figures.created === 0;
    const done = Promise.all(nothing ? drawNothing() : [
      drawHeatmap(view),
      drawTimeCharts(view),
      drawAcceptance(view),
      drawFunnel(view),
      drawLifecycle(view),
    ]);
    window.labelingReport.view = view;
    // tests and scripts wait for this number to change
    return done.then(() => {
      document.body.dataset.renderCount = String(++renders);
    }, (error) => {
      document.body.dataset.renderError = String(error);
      throw error;
    });
  }

  function wire() {
    document.getElementById("filter-team").addEventListener("change", (event) => {
      state.team = event.target.value;
      state.plotted = null;
      render();
    });
    for (const [id, end] of [["filter-from", "from"], ["filter-to", "to"]]) {
      document.getElementById(id).addEventListener("change", (event) => {
        const day = parseDay(event.target.value);
        if (day === null) return syncControls(); // a cleared or partial date: keep the period
        state[end] = day;
        // a start after the end (or the reverse) moves the other end along
        if (state.from > state.to) {
          if (end === "from") state.to = day;
          else state.from = day;
        }
        render();
      });
    }
    for (const button of document.querySelectorAll("[data-preset]")) {
      button.addEventListener("click", () => {
        const preset = button.dataset.preset;
        state.to = LAST;
        state.from = preset === "all" ? 0 : Math.max(0, LAST - Number(preset) + 1);
        render();
      });
    }
    document.getElementById("filter-grain").addEventListener("change", (event) => {
      state.grain = event.target.value;
      render();
    });
    const table = document.getElementById("members-table");
    table.tHead.addEventListener("click", (event) => sortBy(event.target.closest("th")));
    table.tHead.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        sortBy(event.target.closest("th"));
      }
    });
    table.addEventListener("change", (event) => {
      if (!event.target.matches("input[type=checkbox][data-member]")) return;
      const current = plottedMembers(view.members).map((m) => m.index);
      const chosen = new Set(state.plotted === null ? current : [...state.plotted].filter((i) => current.includes(i)));
      const member = Number(event.target.dataset.member);
      if (event.target.checked) chosen.add(member);
      else chosen.delete(member);
      state.plotted = chosen;
      render();
    });
    document.getElementById("reset-plotted").addEventListener("click", () => {
      state.plotted = null;
      render();
    });
  }

  function sortBy(th) {
    if (!th || !th.classList.contains("sortable")) return;
    const key = th.dataset.key;
    const column = COLUMNS.find((c) => c.key === key);
    state.sort = state.sort.key === key ? { key, dir: -state.sort.dir } : { key, dir: column.text ? 1 : -1 };
    renderTable(view, plottedMembers(view.members));
  }

  window.labelingReport = { data: DATA, state, ratios: Ratios, view: null, render, isoOf };
  renderStatic();
  readHash();
  wire();
  render();
})();
