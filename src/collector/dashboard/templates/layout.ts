// The page around every dashboard page: language switch, navigation, sign-out. Data reaches the page
// only through <%= %> (escaped); <%~ %> is used for the body, which the page's own template made.
export const LAYOUT = `<!DOCTYPE html>
<html lang="<%= it.lang %>">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title><%= it.title %></title>
<link rel="stylesheet" href="/assets/dashboard.css">
</head>
<body class="<%= it.bodyClass ?? '' %>">
<header class="top">
  <a class="brand" href="/">backup321</a>
<% if (it.signedIn) { %>
  <nav>
    <a href="/"><%= it.t.fleet %></a>
    <a href="/print<%= it.printSearch ?? '' %>"><%= it.t.print %></a>
  </nav>
<% } %>
  <span class="spacer"></span>
  <a class="lang" hreflang="<%= it.otherLang %>" href="?lang=<%= it.otherLang %>"><%= it.t.otherLanguage %></a>
<% if (it.signedIn) { %>
  <form class="signout" method="post" action="/logout"><input type="hidden" name="csrf" value="<%= it.csrf %>"><button type="submit"><%= it.t.signOut %></button></form>
<% } %>
</header>
<main>
<%~ it.body %>
</main>
</body>
</html>
`;

/** A page that only says something: not found, or a form refused. */
export const MESSAGE = `<% layout('@layout', { title: it.heading }) %>
<h1><%= it.heading %></h1>
<p><a href="/"><%= it.t.fleet %></a></p>
`;
