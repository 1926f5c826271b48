// Preloaded by the benchmark (`node --import bench/rss.js bin/plinth.js ...`): the process's
// peak resident set size, reported on stderr as `RSS <kB>` when it exits.
import { writeSync } from 'node:fs';
process.on('exit', () => writeSync(2, `\nRSS ${process.resourceUsage().maxRSS}\n`));
