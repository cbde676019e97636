/**
 * The benchmarks' server child: a script of scripts/ in its own process, pinned to the server
 * core when `pinned` (taskset, every thread). Resolves, once it prints its READY line, with the
 * child and `ask(request)`, which sends one JSON line on stdin and resolves with the JSON line it
 * answers (scripts/bench-app.js's commands).
 */
'use strict';
const { spawn } = require('node:child_process');
const path = require('node:path');
const readline = require('node:readline');

const appDir = path.resolve(__dirname, '..');
const SERVER_CORE = '0';

function startChild(script, env, pinned) {
  return new Promise((resolve, reject) => {
    const file = path.join(__dirname, script);
    const [cmd, args] = pinned ? ['taskset', ['-a', '-c', SERVER_CORE, process.execPath, file]] : [process.execPath, [file]];
    const child = spawn(cmd, args, { cwd: appDir, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'inherit'] });
    const waiting = [];
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.startsWith('READY')) return resolve(Object.assign(child, { ask }));
      waiting.shift()?.(line);
    });
    function ask(request) {
      return new Promise((done) => {
        waiting.push((line) => done(JSON.parse(line)));
        child.stdin.write(`${JSON.stringify(request)}\n`);
      });
    }
    child.on('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}

module.exports = { startChild, SERVER_CORE };
