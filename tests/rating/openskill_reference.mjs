// The independent implementation rating_test.cpp checks clash/rating.h against: the npm `openskill`
// package (pinned in package.json / package-lock.json, installed by scripts/install-deps.sh).
//   node openskill_reference.mjs games.json
// For each option set of games.json, every player of the pool starts at openskill's rating() for
// those options and the games are played in order, each game's players rated by openskill's rate()
// (its default model, Plackett-Luce) with the game's ranks. Prints one JSON object:
//   {"<option set name>": [[{"mu", "sigma", "ordinal"} per player of game 1], ... per game]}
import { readFileSync } from "node:fs";
import { ordinal, rate, rating } from "openskill";

const spec = JSON.parse(readFileSync(process.argv[2], "utf8"));
const out = {};
for (const set of spec.option_sets) {
  const options = set.options;
  const pool = Array.from({ length: spec.pool }, () => rating({}, options));
  out[set.name] = spec.games.map((game) => {
    const teams = game.players.map((p) => [pool[p]]);
    const rated = rate(teams, { ...options, rank: game.ranks });
    return game.players.map((p, i) => {
      pool[p] = rated[i][0];
      return { mu: pool[p].mu, sigma: pool[p].sigma, ordinal: ordinal(pool[p], options) };
    });
  });
}
process.stdout.write(JSON.stringify(out));
