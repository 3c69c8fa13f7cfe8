// The collector-ingest rows' peer, run as its own process: `node collector-ingest-bare.mjs [SQLITE_FILE |
// POSTGRES_URL]`. Reads each body, JSON.parses it and answers 201. Given a file, it first inserts the
// body there (WAL, synchronous=FULL, one commit per request); given a PostgreSQL URL, into a jsonb
// column there (one INSERT a request, its own transaction, as the collector's bodies are stored):
// what one durable commit per acknowledged report costs alone.
import { createServer } from 'node:http';
import Database from 'better-sqlite3';
import pg from 'pg';

const target = process.argv[2];
let insert;
if (target && /^postgres(ql)?:\/\//.test(target)) {
  const pool = new pg.Pool({ connectionString: target, max: 10 });
  await pool.query(
    'CREATE TABLE IF NOT EXISTS bodies (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, body jsonb NOT NULL)',
  );
  // Compressed as the collector's bodies are (lz4 where the server has it, else the server's default).
  await pool.query('ALTER TABLE bodies ALTER COLUMN body SET COMPRESSION lz4').catch(() => undefined);
  insert = (text) => pool.query({ name: 'insert_body', text: 'INSERT INTO bodies (body) VALUES ($1)', values: [text] });
} else if (target) {
  const db = new Database(target);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE IF NOT EXISTS bodies (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
  const statement = db.prepare('INSERT INTO bodies (body) VALUES (?)');
  insert = (text) => statement.run(text);
}

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', async () => {
    const text = Buffer.concat(chunks).toString('utf8');
    JSON.parse(text);
    await insert?.(text);
    res.writeHead(201, { 'content-type': 'application/json' }).end('{"stored":true}');
  });
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`listening ${server.address().port}\n`));
process.once('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
