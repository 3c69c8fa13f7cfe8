// The collector-ingest rows' peer, run as its own process: `node collector-ingest-bare.mjs [SQLITE_FILE]`.
// Reads each body, JSON.parses it and answers 201. Given a file, it first inserts the body there (WAL,
// synchronous=FULL, one commit per request): what one durable commit per acknowledged report costs alone.
import { createServer } from 'node:http';
import Database from 'better-sqlite3';

const file = process.argv[2];
let insert;
if (file) {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE IF NOT EXISTS bodies (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
  const statement = db.prepare('INSERT INTO bodies (body) VALUES (?)');
  insert = (text) => statement.run(text);
}

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const text = Buffer.concat(chunks).toString('utf8');
    JSON.parse(text);
    insert?.(text);
    res.writeHead(201, { 'content-type': 'application/json' }).end('{"stored":true}');
  });
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`listening ${server.address().port}\n`));
process.once('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
