// The dashboard's one stylesheet, served from /assets/dashboard.css (the CSP allows styles from 'self' only).
export const DASHBOARD_CSS = `:root { --ok:#1a7f37; --warn:#9a6700; --bad:#cf222e; --unk:#6e7781; --silent:#8250df; --line:#d0d7de; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "Noto Sans", sans-serif; color: #1f2328; background: #fff; }
main { padding: 16px 24px; }
a { color: #0550ae; }
header.top { display: flex; gap: 16px; align-items: center; padding: 8px 24px; background: #f6f8fa; border-bottom: 1px solid var(--line); }
header.top .brand { font-weight: 700; text-decoration: none; color: #1f2328; }
header.top nav { display: flex; gap: 12px; }
header.top .spacer { flex: 1; }
form.signout { margin: 0; }
h1 { font-size: 22px; margin: 8px 0 12px; }
h2 { font-size: 16px; margin: 16px 0 8px; }
.counts { display: flex; gap: 24px; flex-wrap: wrap; }
.box { border: 1px solid var(--line); border-radius: 6px; padding: 8px 16px; }
ul.tally { list-style: none; display: flex; gap: 16px; padding: 0; margin: 4px 0; flex-wrap: wrap; }
ul.tally .n { font-size: 22px; font-weight: 700; display: block; }
.note { color: #59636e; font-size: 12px; }
.filters fieldset { border: 1px solid var(--line); border-radius: 6px; display: flex; gap: 12px; flex-wrap: wrap; align-items: end; }
.filters label { display: flex; flex-direction: column; font-size: 12px; }
.filters label.check { flex-direction: row; gap: 4px; align-items: center; }
table { border-collapse: collapse; }
table.fleet { width: 100%; margin-top: 8px; }
table.fleet th, table.fleet td, table.findings td, table.findings th, table.policy td, table.policy th { border: 1px solid var(--line); padding: 3px 6px; text-align: left; vertical-align: top; }
table.fleet tbody.agent > tr:first-child > * { border-top: 2px solid #8c959f; }
.sub, .mark { font-size: 12px; color: #59636e; font-weight: 400; }
.mark { color: var(--warn); }
td.chk, th.chk { text-align: center; white-space: nowrap; }
td.when { white-space: nowrap; }
.badge { white-space: nowrap; display: inline-block; padding: 0 6px; border-radius: 10px; font-size: 12px; color: #fff; background: var(--unk); }
.badge.st-compliant { background: var(--ok); }
.badge.st-at-risk { background: var(--warn); }
.badge.st-non-compliant { background: var(--bad); }
.badge.st-silent { background: var(--silent); }
.cs-pass { color: var(--ok); }
.cs-warn { color: var(--warn); font-weight: 600; }
.cs-fail { color: var(--bad); font-weight: 700; }
.cs-unknown { color: var(--unk); }
li.st-compliant .n { color: var(--ok); }
li.st-at-risk .n { color: var(--warn); }
li.st-non-compliant .n { color: var(--bad); }
li.st-silent .n { color: var(--silent); }
li.st-unknown .n { color: var(--unk); }
nav.pages { display: flex; gap: 16px; margin: 12px 0; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; }
dl.facts dt { color: #59636e; }
dl.facts dd { margin: 0; }
svg.chart { border: 1px solid var(--line); border-radius: 6px; background: #fff; }
svg.chart .grid { stroke: #eaeef2; }
svg.chart .line { fill: none; stroke: #57606a; stroke-width: 1.5; }
svg.chart .lvl, svg.chart .axis { font-size: 11px; fill: #59636e; }
svg.chart .dot { fill: var(--unk); }
svg.chart .dot.st-compliant { fill: var(--ok); }
svg.chart .dot.st-at-risk { fill: var(--warn); }
svg.chart .dot.st-non-compliant { fill: var(--bad); }
li.gap, li.reinstall { color: var(--bad); }
article.dataset { margin-bottom: 16px; }
p.msg { margin: 0 0 4px; }
code { font-size: 12px; word-break: break-all; }
.login { max-width: 420px; margin: 48px auto; }
.login form { display: flex; flex-direction: column; gap: 8px; }
.error { color: var(--bad); font-weight: 600; }
body.print header.top nav, body.print form.signout { display: none; }
@media print {
  header.top { display: none; }
  details > ul { display: block; }
  a { color: inherit; text-decoration: none; }
  section.agent-print { break-inside: avoid-page; }
}
`;
