// One dataset across the fleet: every agent that reports a dataset of this id, with its checks.
export const DATASET = `<% layout('@layout', { title: it.datasetId }) %>
<p class="crumbs"><a href="/"><%= it.t.fleet %></a> › <%= it.t.dataset %></p>
<h1 class="dataset-id"><%= it.heading %></h1>
<% if (it.rows.length === 0) { %>
<p class="empty"><%= it.t.notFound %></p>
<% } else { %>
<p class="showing"><%= it.showing %></p>
<table class="fleet">
  <thead>
    <tr>
      <th><%= it.t.agent %></th><th><%= it.t.verdict %></th><th><%= it.t.finishedAt %></th>
<% for (const c of it.checkColumns) { %>
      <th class="chk"><%= c.label %></th>
<% } %>
    </tr>
  </thead>
  <tbody>
<% for (const row of it.rows) { %>
    <tr data-agent="<%= row.agentId %>">
      <th><a href="<%= row.href %>"><%= row.agentId %></a></th>
      <td><span class="badge st-<%= row.verdict %>"><%= row.verdictLabel %></span></td>
      <td><%= row.finishedAt %></td>
<% for (const cell of row.checks) { %>
      <td class="chk cs-<%= cell.status %>" title="<%= cell.title %>"><%= cell.label %></td>
<% } %>
    </tr>
<% } %>
  </tbody>
</table>
<nav class="pages">
<% if (it.prevHref) { %><a rel="prev" href="<%= it.prevHref %>"><%= it.t.previous %></a><% } %>
  <span><%= it.pageText %></span>
<% if (it.nextHref) { %><a rel="next" href="<%= it.nextHref %>"><%= it.t.next %></a><% } %>
</nav>
<% } %>
`;
