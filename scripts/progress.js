'use strict';
/** A progress bar on stderr for the long scripts: `progressBar(label)(done, total)`; a line per 10 % when stderr is not a terminal. */
function progressBar(label, stream = process.stderr) {
  const started = Date.now();
  let lastTenth = -1;
  return (done, total) => {
    const ratio = total > 0 ? done / total : 1;
    const rate = Math.round(done / Math.max((Date.now() - started) / 1000, 0.001));
    const width = 30;
    const filled = Math.round(ratio * width);
    const line = `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done.toLocaleString('en')}/${total.toLocaleString('en')} (${rate.toLocaleString('en')}/s)`;
    if (stream.isTTY) {
      stream.write(`\r${line}${done >= total ? '\n' : ''}`);
    } else {
      const tenth = Math.floor(ratio * 10);
      if (tenth !== lastTenth || done >= total) stream.write(`${line}\n`);
      lastTenth = tenth;
    }
  };
}
module.exports = { progressBar };
