import t from 'tap';
t.comment(JSON.stringify(process.execArgv));
t.comment(JSON.stringify(Object.keys(process.env).filter(k=>/TAP|NODE|TS_/.test(k)).map(k=>k+'='+process.env[k]).join(' ')));
t.pass('x');
