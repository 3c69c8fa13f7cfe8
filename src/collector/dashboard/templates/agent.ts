// An agent's page: standing, reinstalls, gaps, the verdict chart (inline SVG), latest findings and evidence.
export const AGENT = `<% layout('@layout', { title: it.agent.id }) %>
<p class="crumbs"><a href="/"><%= it.t.fleet %></a> › <%= it.t.agent %></p>
<h1 class="agent-id"><%= it.agent.id %> <span class="badge st-<%= it.agent.status %>"><%= it.statusLabel %></span></h1>
<dl class="facts">
  <dt><%= it.t.host %></dt><dd><%= it.agent.hostName %> (<%= it.hostText %>)</dd>
  <dt><%= it.t.version %></dt><dd><%= it.agent.productVersion %></dd>
  <dt><%= it.t.instance %></dt><dd><%= it.agent.instanceId %></dd>
  <dt><%= it.t.lastReport %></dt><dd><%= it.agent.lastReportId %> · <%= it.t.seq %> <%= it.agent.lastSeq ?? '—' %> · <%= it.t.trigger %> <%= it.agent.trigger %> · <%= it.time(it.agent.lastFinishedAt) %></dd>
  <dt><%= it.t.lastReceived %></dt><dd><%= it.time(it.agent.lastReceivedAt) %></dd>
  <dt><%= it.t.nextRun %></dt><dd><%= it.time(it.agent.nextRunAt) %></dd>
  <dt><%= it.t.firstSeen %></dt><dd><%= it.time(it.agent.firstSeenAt) %></dd>
</dl>

<section class="reinstalls">
  <h2><%= it.t.reinstalls %> (<%= it.agent.reinstalls %>)</h2>
  <ul>
<% for (const line of it.instanceLines) { %>
    <li class="<%= line.reinstall ? 'reinstall' : 'first' %>"><%= line.text %></li>
<% } %>
  </ul>
</section>

<section class="gaps">
  <h2><%= it.t.gaps %> (<%= it.agent.missingReports %>)</h2>
<% if (it.gapLines.length === 0) { %>
  <p><%= it.t.noGaps %></p>
<% } else { %>
  <ul>
<% for (const gap of it.gapLines) { %>
    <li class="gap"><%= gap %></li>
<% } %>
  </ul>
<% } %>
</section>

<section class="history">
  <h2><%= it.historyTitle %></h2>
<% if (it.historyPoints === 0) { %>
  <p><%= it.t.noHistory %></p>
<% } %>
  <svg class="chart" role="img" aria-label="<%= it.historyTitle %>" width="<%= it.chart.width %>" height="<%= it.chart.height %>" viewBox="0 0 <%= it.chart.width %> <%= it.chart.height %>" xmlns="http://www.w3.org/2000/svg">
<% for (const level of it.chart.levels) { %>
    <line class="grid" x1="<%= it.chart.plotLeft %>" x2="<%= it.chart.plotRight %>" y1="<%= level.y %>" y2="<%= level.y %>"/>
    <text class="lvl" x="<%= it.chart.plotLeft - 6 %>" y="<%= level.y + 4 %>" text-anchor="end"><%= it.verdictLabel(level.verdict) %></text>
<% } %>
<% if (it.chart.path) { %>
    <path class="line" d="<%= it.chart.path %>"/>
<% } %>
<% for (const dot of it.chart.dots) { %>
    <circle class="dot st-<%= dot.verdict %>" cx="<%= dot.x %>" cy="<%= dot.y %>" r="3"><title><%= it.time(dot.finishedAt) %>: <%= it.verdictLabel(dot.verdict) %></title></circle>
<% } %>
    <text class="axis" x="<%= it.chart.plotLeft %>" y="<%= it.chart.axisY %>"><%= it.time(it.chart.since) %></text>
    <text class="axis" x="<%= it.chart.plotRight %>" y="<%= it.chart.axisY %>" text-anchor="end"><%= it.time(it.chart.until) %></text>
  </svg>
</section>

<section class="findings">
  <h2><%= it.t.findings %></h2>
<% if (!it.datasets) { %>
  <p><%= it.t.reportMissing %></p>
<% } else { %>
<%~ include('@datasets', it) %>
<% } %>
</section>
`;

/** The datasets of one report with their findings and evidence (the agent page and the printable report). */
export const DATASETS = `<% for (const ds of it.datasets) { %>
  <article class="dataset" data-dataset="<%= ds.id %>">
    <h3><a href="<%= ds.href %>"><%= ds.id %></a> <span class="badge st-<%= ds.verdict %>"><%= ds.verdictLabel %></span></h3>
    <p class="counts"><%= ds.countsText %> · <%= it.t.newestCopy %>: <%= ds.newestCopy %> · <%= it.t.restoreEstimate %>: <%= ds.restoreEstimate %></p>
    <table class="findings">
      <thead><tr><th><%= it.t.check %></th><th><%= it.t.status %></th><th><%= it.t.evidence %></th></tr></thead>
      <tbody>
<% for (const f of ds.findings) { %>
        <tr data-check="<%= f.check %>">
          <td><%= f.checkLabel %></td>
          <td class="cs-<%= f.status %>"><%= f.statusLabel %></td>
          <td>
            <p class="msg"><%= f.message %></p>
<% for (const group of f.evidence) { %>
            <details<%= group.open ? ' open' : '' %>>
              <summary><%= group.title %></summary>
              <ul>
<% for (const item of group.items) { %>
                <li><code><%= item.copy %></code><% if (item.note) { %> — <%= item.note %><% } %></li>
<% } %>
              </ul>
            </details>
<% } %>
          </td>
        </tr>
<% } %>
      </tbody>
    </table>
  </article>
<% } %>
`;
