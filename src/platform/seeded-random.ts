/**
 * mulberry32: a small seeded generator, so that the same seed gives the same data in every run (a
 * benchmark's load, a synthetic population). Not for anything secret.
 */
export function seededRandom(seed: number) {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1))
  const chance = (p: number) => next() < p
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T
  /** A standard normal draw (Box–Muller). */
  const normal = () => {
    const u = 1 - next()
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next())
  }
  return { next, int, chance, pick, normal }
}

export type SeededRandom = ReturnType<typeof seededRandom>
