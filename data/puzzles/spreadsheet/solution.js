const lines = require('fs').readFileSync(0, 'utf8').split('\n');
const n = Number(lines[0]);
const formulas = new Map();
for (const line of lines.slice(1, n + 1)) {
  const [name, , ...terms] = line.trim().split(' ');
  formulas.set(name, terms);
}
// Kahn's algorithm: a cell is known once every cell it refers to is known.
// Cells that never become known are undefined, on a cycle, or depend on one: ERROR.
const value = new Map();
const waitingOn = new Map();
const dependents = new Map();
const ready = [];
for (const [name, terms] of formulas) {
  const refs = new Set(terms.filter((t, i) => i % 2 === 0 && /^[A-Z]/.test(t)));
  waitingOn.set(name, refs.size);
  for (const ref of refs) {
    if (!dependents.has(ref)) dependents.set(ref, []);
    dependents.get(ref).push(name);
  }
  if (refs.size === 0) ready.push(name);
}
while (ready.length > 0) {
  const name = ready.pop();
  const terms = formulas.get(name);
  let total = 0;
  for (let i = 0; i < terms.length; i += 2) {
    const v = /^[A-Z]/.test(terms[i]) ? value.get(terms[i]) : Number(terms[i]);
    total += i > 0 && terms[i - 1] === '-' ? -v : v;
  }
  value.set(name, total);
  for (const dep of dependents.get(name) || []) {
    waitingOn.set(dep, waitingOn.get(dep) - 1);
    if (waitingOn.get(dep) === 0) ready.push(dep);
  }
}
const out = [];
for (const name of formulas.keys()) out.push(`${name} ${value.has(name) ? value.get(name) : 'ERROR'}`);
console.log(out.join('\n'));
