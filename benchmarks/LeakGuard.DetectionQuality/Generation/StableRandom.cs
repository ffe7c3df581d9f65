namespace LeakGuard.DetectionQuality.Generation;

/// <summary>
/// SplitMix64: a small random generator whose sequence is fixed by its seed on every runtime and machine
/// (System.Random's algorithm is an implementation detail), so a (family, seed) pair names one series forever.
/// </summary>
internal sealed class StableRandom
{
    private ulong _state;

    /// <summary>Initializes a new instance of the <see cref="StableRandom"/> class for a family and a seed.</summary>
    /// <param name="family">The family's name (hashed with FNV-1a, stable across processes unlike string.GetHashCode).</param>
    /// <param name="seed">The run's seed.</param>
    public StableRandom(string family, long seed)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in family)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        _state = hash ^ (ulong)seed * 0x9E3779B97F4A7C15UL;
        NextUInt64();
    }

    /// <summary>Returns the next 64 random bits.</summary>
    /// <returns>The bits.</returns>
    public ulong NextUInt64()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Returns a uniform value in [0, 1).</summary>
    /// <returns>The value.</returns>
    public double Unit() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Returns a uniform value in [low, high).</summary>
    /// <param name="low">The lower end.</param>
    /// <param name="high">The upper end.</param>
    /// <returns>The value.</returns>
    public double Uniform(double low, double high) => low + ((high - low) * Unit());

    /// <summary>Returns a value whose logarithm is uniform in [ln low, ln high): every order of magnitude equally likely.</summary>
    /// <param name="low">The lower end (positive).</param>
    /// <param name="high">The upper end.</param>
    /// <returns>The value.</returns>
    public double LogUniform(double low, double high) => Math.Exp(Uniform(Math.Log(low), Math.Log(high)));

    /// <summary>Returns true with the given probability.</summary>
    /// <param name="probability">The probability.</param>
    /// <returns>The draw.</returns>
    public bool Chance(double probability) => Unit() < probability;

    /// <summary>Returns an integer in [low, high].</summary>
    /// <param name="low">The lower end.</param>
    /// <param name="high">The upper end (inclusive).</param>
    /// <returns>The value.</returns>
    public int Integer(int low, int high) => low + (int)Math.Min(high - low, Math.Floor(Unit() * (high - low + 1)));

    /// <summary>Returns a standard normal value (Box–Muller).</summary>
    /// <returns>The value.</returns>
    public double Gaussian()
    {
        var u = 1 - Unit();
        return Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * Unit());
    }
}
