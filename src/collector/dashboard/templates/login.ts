export const LOGIN = `<% layout('@layout', { title: it.t.signIn }) %>
<section class="login">
  <h1><%= it.t.signIn %></h1>
  <p><%= it.t.signInHelp %></p>
<% if (it.error) { %>
  <p class="error" role="alert"><%= it.error %></p>
<% } %>
  <form method="post" action="/login">
    <input type="hidden" name="csrf" value="<%= it.csrf %>">
    <label for="token"><%= it.t.token %></label>
    <input id="token" name="token" type="password" autocomplete="off" required>
    <button type="submit"><%= it.t.signIn %></button>
  </form>
</section>
`;
