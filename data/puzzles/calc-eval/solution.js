const lines = require('fs').readFileSync(0, 'utf8').split('\n');
// Shunting-yard: a unary minus becomes "0 - x" inside its own parenthesis level.
const evaluate = (text) => {
  const tokens = text.match(/\d+|[-+*()]/g);
  const values = [];
  const ops = [];
  const prec = { '+': 1, '-': 1, '*': 2 };
  const apply = () => {
    const op = ops.pop();
    const b = values.pop();
    const a = values.pop();
    values.push(op === '+' ? a + b : op === '-' ? a - b : a * b);
  };
  let expectOperand = true;
  for (const tok of tokens) {
    if (/\d/.test(tok)) {
      values.push(Number(tok));
      expectOperand = false;
    } else if (tok === '(') {
      ops.push(tok);
      expectOperand = true;
    } else if (tok === ')') {
      while (ops[ops.length - 1] !== '(') apply();
      ops.pop();
      expectOperand = false;
    } else {
      if (tok === '-' && expectOperand) values.push(0);  // unary minus: 0 - term
      while (ops.length > 0 && ops[ops.length - 1] !== '(' && prec[ops[ops.length - 1]] >= prec[tok]) apply();
      ops.push(tok);
      expectOperand = true;
    }
  }
  while (ops.length > 0) apply();
  return values[0];
};
const t = Number(lines[0]);
const out = [];
for (let i = 1; i <= t; i++) out.push(String(evaluate(lines[i])));
console.log(out.join('\n'));
