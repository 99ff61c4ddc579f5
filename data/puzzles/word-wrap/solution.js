const [first, text] = require('fs').readFileSync(0, 'utf8').split('\n');
const width = Number(first);
const out = [];
for (const word of text.split(' ')) {
  const last = out.length - 1;
  if (last >= 0 && out[last].length + 1 + word.length <= width) out[last] += ` ${word}`;
  else out.push(word);
}
console.log(out.join('\n'));
