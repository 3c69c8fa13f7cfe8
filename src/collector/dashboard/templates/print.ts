// The auditor's printable report: the same data as the pages, with the policy in full, full digests,
// times to the second with their offset, and when and by which collector it was made. It is streamed:
// PRINT is the page around the agents (split where PRINT_AGENTS_HERE stands, a comment no escaped
// value can spell), and PRINT_AGENTS is rendered for each chunk of agents in between.

/** Where the agents go in PRINT. */
export const PRINT_AGENTS_HERE = '<!-- b321:agents -->';

export const PRINT = `<% layout('@layout', { title: it.t.printTitle, bodyClass: 'print' }) %>
<h1><%= it.t.printTitle %></h1>
<p class="generated"><%= it.generated %></p>
<section class="counts">
<% for (const [title, kind, tally] of [[it.t.byStatus, 'status', it.statusTally], [it.t.compliance, 'compliance', it.complianceTally]]) { %>
  <table class="tally">
    <thead><tr><th><%= title %></th><th></th></tr></thead>
    <tbody>
<% for (const s of tally) { %>
      <tr><td><%= s.label %></td><td class="num" data-<%= kind %>="<%= s.status %>"><%= s.count %></td></tr>
<% } %>
    </tbody>
  </table>
<% } %>
  <p class="note"><%= it.t.complianceNote %></p>
</section>
<p class="note"><%= it.listed %></p>
${PRINT_AGENTS_HERE}
`;

/**
 * One chunk of agents. The last also says how many were listed (a report cut off on the way lacks
 * that line), or that reading the store failed.
 */
export const PRINT_AGENTS = `<% for (const a of it.agents) { %>
<section class="agent-print" data-agent="<%= a.id %>">
  <h2><%= a.id %> — <%= a.statusLabel %></h2>
  <dl class="facts">
    <dt><%= it.t.host %></dt><dd><%= a.host %></dd>
    <dt><%= it.t.instance %></dt><dd><%= a.instanceId %> (<%= it.t.reinstalls %>: <%= a.reinstalls %>)</dd>
    <dt><%= it.t.reportId %></dt><dd><code><%= a.reportId %></code> · <%= it.t.seq %> <%= a.seq %></dd>
    <dt><%= it.t.finishedAt %></dt><dd><%= a.finishedAt %></dd>
    <dt><%= it.t.lastReceived %></dt><dd><%= a.receivedAt %></dd>
    <dt><%= it.t.configDigest %></dt><dd><code class="hash"><%= a.configDigest %></code></dd>
    <dt><%= it.t.inventoryDigest %></dt><dd><code class="hash"><%= a.inventoryDigest %></code></dd>
    <dt><%= it.t.gaps %></dt><dd><%= a.gapsText %></dd>
  </dl>
<% if (a.policy.length > 0) { %>
  <table class="policy">
    <caption><%= it.t.policy %></caption>
    <tbody>
<% for (const p of a.policy) { %>
      <tr><th><%= p.label %></th><td><%= p.value %></td><td><code><%= p.key %> = <%= p.raw %></code></td></tr>
<% } %>
    </tbody>
  </table>
<% } %>
<% if (a.datasets) { %>
<%~ include('@datasets', { ...it, datasets: a.datasets }) %>
<% } else { %>
  <p><%= it.t.reportMissing %></p>
<% } %>
</section>
<% } %>
<% if (it.end) { %>
<p class="note print-end"><%= it.end %></p>
<% } %>
<% if (it.incomplete) { %>
<p class="note print-incomplete"><strong><%= it.incomplete %></strong></p>
<% } %>
`;
