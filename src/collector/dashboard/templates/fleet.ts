// The fleet page: the counts, the filters, and one page of agents × datasets with each check's status.
export const FLEET = `<% layout('@layout', { title: it.t.title }) %>
<h1><%= it.t.title %></h1>
<section class="counts">
  <div class="box">
    <h2><%= it.t.byStatus %></h2>
    <ul class="tally">
<% for (const s of it.statusTally) { %>
      <li class="st-<%= s.status %>"><span class="n" data-status="<%= s.status %>"><%= s.count %></span> <%= s.label %></li>
<% } %>
    </ul>
  </div>
  <div class="box">
    <h2><%= it.t.compliance %></h2>
    <ul class="tally">
<% for (const s of it.complianceTally) { %>
      <li class="st-<%= s.status %>"><span class="n" data-compliance="<%= s.status %>"><%= s.count %></span> <%= s.label %></li>
<% } %>
    </ul>
    <p class="note"><%= it.t.complianceNote %></p>
  </div>
</section>

<form class="filters" method="get" action="/">
  <fieldset>
    <legend><%= it.t.filters %></legend>
<%~ include('@select', { name: 'verdict', label: it.t.verdict, any: it.t.any, options: it.verdictOptions }) %>
<%~ include('@select', { name: 'check', label: it.t.check, any: it.t.any, options: it.checkOptions }) %>
<%~ include('@select', { name: 'checkStatus', label: it.t.checkStatus, any: it.t.any, options: it.checkStatusOptions }) %>
    <label><%= it.t.agentName %> <input type="search" name="name" value="<%= it.query.name %>"></label>
    <label class="check"><input type="checkbox" name="silent" value="1"<%= it.query.silentOnly ? ' checked' : '' %>> <%= it.t.silentOnly %></label>
<%~ include('@select', { name: 'sort', label: it.t.sortBy, any: null, options: it.sortOptions }) %>
    <button type="submit"><%= it.t.apply %></button>
    <a href="/"><%= it.t.clear %></a>
  </fieldset>
</form>

<p class="showing"><%= it.showing %></p>
<% if (it.rows.length === 0) { %>
<p class="empty"><%= it.t.noAgents %></p>
<% } else { %>
<table class="fleet">
  <thead>
    <tr>
      <th><a href="<%= it.sortHref.name %>"><%= it.t.agent %></a></th>
      <th><a href="<%= it.sortHref.status %>"><%= it.t.status %></a></th>
      <th><a href="<%= it.sortHref.lastReport %>"><%= it.t.lastReceived %></a></th>
      <th><%= it.t.dataset %></th>
<% for (const c of it.checkColumns) { %>
      <th class="chk" title="<%= c.label %>"><%= c.label %></th>
<% } %>
    </tr>
  </thead>
<% for (const row of it.rows) { %>
  <tbody class="agent" data-agent="<%= row.id %>" data-status="<%= row.status %>">
<% row.lines.forEach((line, i) => { %>
    <tr>
<% if (i === 0) { %>
      <th scope="rowgroup" rowspan="<%= row.lines.length %>"><a href="<%= row.href %>"><%= row.id %></a>
        <div class="sub"><%= row.hostName %></div>
<% for (const mark of row.marks) { %>
        <div class="mark"><%= mark %></div>
<% } %>
      </th>
      <td rowspan="<%= row.lines.length %>"><span class="badge st-<%= row.status %>"><%= row.statusLabel %></span></td>
      <td class="when" rowspan="<%= row.lines.length %>"><%= row.lastReceived %></td>
<% } %>
<% if (line.dataset === null) { %>
      <td class="none" colspan="<%= it.checkColumns.length + 1 %>"><%= it.t.noDatasets %></td>
<% } else { %>
      <td class="ds"><a href="<%= line.href %>"><%= line.dataset %></a> <span class="badge st-<%= line.verdict %>"><%= line.verdictLabel %></span></td>
<%~ line.checkCells %>
<% } %>
    </tr>
<% }) %>
  </tbody>
<% } %>
</table>
<% } %>
<nav class="pages">
<% if (it.prevHref) { %><a rel="prev" href="<%= it.prevHref %>"><%= it.t.previous %></a><% } %>
  <span><%= it.pageText %></span>
<% if (it.nextHref) { %><a rel="next" href="<%= it.nextHref %>"><%= it.t.next %></a><% } %>
</nav>
`;

/** A labelled select of the filter form, with an "any" choice when the filter can be left out. */
export const SELECT = `    <label><%= it.label %>
      <select name="<%= it.name %>">
<% if (it.any !== null) { %>
        <option value=""><%= it.any %></option>
<% } %>
<% for (const v of it.options) { %>
        <option value="<%= v.value %>"<%= v.selected ? ' selected' : '' %>><%= v.label %></option>
<% } %>
      </select>
    </label>
`;
