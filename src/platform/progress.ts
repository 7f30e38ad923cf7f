// Progress of a long run on the terminal: a bar redrawn in place on a TTY, plain lines (every tenth)
// when the output goes to a file or a pipe. Written to stderr, so stdout keeps only the result.

export interface Progress {
  update(done: number, total: number): void
  finish(): void
}

export function createProgress(label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  const started = performance.now()
  const seconds = () => ((performance.now() - started) / 1000).toFixed(0)
  const count = (n: number) => n.toLocaleString('en-GB')
  let drawnAt = 0
  let lastTenth = -1
  let last = ''
  return {
    update(done, total) {
      const share = total > 0 ? Math.min(1, done / total) : 1
      if (stream.isTTY) {
        const now = performance.now()
        if (now - drawnAt < 100 && done < total) return
        drawnAt = now
        const width = 30
        const filled = Math.round(share * width)
        last = `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(share * 100).toFixed(0).padStart(3)}% ${count(done)}/${count(total)} ${seconds()} s`
        stream.write(`\r${last}`)
        return
      }
      const tenth = Math.floor(share * 10)
      if (tenth === lastTenth) return
      lastTenth = tenth
      stream.write(`${label}: ${tenth * 10}% (${count(done)} of ${count(total)}, ${seconds()} s)\n`)
    },
    finish() {
      if (stream.isTTY && last) stream.write('\n')
    },
  }
}
